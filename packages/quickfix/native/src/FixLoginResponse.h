/*
 * FixLoginResponse.h (node-quickfix 2.1.1, Kermen Deol, 2015)
 *
 * Port: the decision is a shared state (mutex + condition variable) between the QuickFIX session thread
 * that waits in fromAdmin(Logon) and the JS object handed to the logon provider, instead of a busy-wait
 * on a flag of an object that was never freed.
 */
#ifndef FIXLOGINRESPONSE_H_
#define FIXLOGINRESPONSE_H_

#include <nan.h>
#include <memory>
#include <chrono>
#include "Threading.h"

struct LogonDecision {
	std::mutex mutex;
	std::condition_variable cv;
	bool finished = false;
	bool loggedOn = false;

	void done(bool ok) {
		{
			std::lock_guard<std::mutex> lock(mutex);
			if (finished) return;
			finished = true;
			loggedOn = ok;
		}
		cv.notify_all();
	}

	// Returns true when the provider accepted the logon within the timeout.
	bool wait(int timeoutMs) {
		std::unique_lock<std::mutex> lock(mutex);
		cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return finished; });
		if (!finished) {
			finished = true;
			loggedOn = false;
		}
		return loggedOn;
	}
};

class FixLoginResponse : public Nan::ObjectWrap {
public:
	static void Initialize();
	static v8::Local<v8::Object> wrapFixLoginResponse(std::shared_ptr<LogonDecision> decision);

private:
	explicit FixLoginResponse(std::shared_ptr<LogonDecision> decision) : mDecision(decision) {}
	~FixLoginResponse() {}
	static NAN_METHOD(done);
	static Nan::Persistent<v8::FunctionTemplate> tpl;
	std::shared_ptr<LogonDecision> mDecision;
};

#endif /* FIXLOGINRESPONSE_H_ */

/*
 * FixWorkers.h: replaces node-quickfix 2.1.1's FixInitiatorStartWorker, FixInitiatorStopWorker,
 * FixAcceptorStartWorker, FixAcceptorStopWorker and FixSendWorker (one Nan::AsyncWorker each, with the
 * same Execute/HandleOKCallback shape). Port changes: errors (ConfigError, RuntimeError, SessionNotFound,
 * ...) are reported to the callback as an Error instead of being swallowed or printed; callbacks run with
 * the worker's async resource (Nan::Callback::Call without one is deprecated).
 */
#ifndef FIXWORKERS_H_
#define FIXWORKERS_H_

#include <exception>
#include <functional>
#include <nan.h>

class FixWorker : public Nan::AsyncWorker {
	public:
		// `execute` runs on a libuv thread-pool thread (no V8 there); it returns the boolean result passed
		// as the callback's second argument. `done` (optional) runs on the JS thread before the callback.
		FixWorker(Nan::Callback* callback, std::function<bool()> execute, std::function<void()> done = nullptr)
			: Nan::AsyncWorker(callback, "node-quickfix:worker"), execute(execute), done(done) {}

		void Execute() override {
			try {
				result = execute();
			} catch (std::exception& e) {
				SetErrorMessage(e.what());
			} catch (...) {
				SetErrorMessage("unknown QuickFIX error");
			}
		}

		void HandleOKCallback() override {
			Nan::HandleScope scope;
			if (done) done();
			if (callback && !callback->IsEmpty()) {
				v8::Local<v8::Value> argv[] = { Nan::Null(), Nan::New(result) };
				callback->Call(2, argv, async_resource);
			}
		}

		void HandleErrorCallback() override {
			Nan::HandleScope scope;
			if (done) done();
			if (callback && !callback->IsEmpty()) {
				v8::Local<v8::Value> argv[] = { Nan::Error(ErrorMessage()) };
				callback->Call(1, argv, async_resource);
			}
		}

	private:
		std::function<bool()> execute;
		std::function<void()> done;
		bool result = false;
};

// A Nan::Callback for info[i] when it is a function, else nullptr (AsyncWorker accepts none).
inline Nan::Callback* optionalCallback(v8::Local<v8::Value> value) {
	if (value->IsFunction()) return new Nan::Callback(value.As<v8::Function>());
	return nullptr;
}

#endif /* FIXWORKERS_H_ */

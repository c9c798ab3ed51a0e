/*
 * FixConnection.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 *
 * Port changes: the JS methods shared by FixInitiator and FixAcceptor (start, stop, send, sendRaw,
 * sendSync, getSessions, getSession, isLoggedOn) live here once. The QuickFIX engine object is created
 * when the connection is constructed (configuration errors throw in JS), deleted after stop(), and
 * created anew by the next start(), so a stopped acceptor/initiator can be started again (its sessions
 * keep their sequence numbers through the file store). While started, the JS object is referenced (not
 * collected) and keeps the event loop alive.
 */
#ifndef FIXCONNECTION_H_
#define FIXCONNECTION_H_

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <unordered_set>
#include <nan.h>

#include "quickfix/Application.h"
#include "quickfix/SessionID.h"
#include "quickfix/Session.h"
#include "quickfix/Message.h"
#include "quickfix/MessageStore.h"
#include "quickfix/FileStore.h"
#include "quickfix/FileLog.h"
#include "quickfix/Log.h"
#include "quickfix/SessionSettings.h"
#include "quickfix/config.h"

#include "FixApplication.h"
#include "FixEvent.h"

class FixConnection : public Nan::ObjectWrap {
public:
	static void SetPrototypeMethods(v8::Local<v8::FunctionTemplate> tpl);

protected:
	FixConnection(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory);
	virtual ~FixConnection();

	// Shared part of the JS constructors: settings from options.settings (string) or
	// options.propertiesFile, options.storeFactory ('file' | 'memory'), options.logFactory
	// ('file' | 'screen' | 'none'), options.credentials, options.logonProvider, options.logonTimeout.
	static FIX::SessionSettings settingsFromOptions(v8::Local<v8::Object> options);
	static std::string stringOption(v8::Local<v8::Object> options, const char* key, const std::string& fallback);
	void configure(v8::Local<v8::Object> self, v8::Local<v8::Object> callbacks, v8::Local<v8::Object> options);

	// Engine operations (FIX::Initiator or FIX::Acceptor).
	virtual void createEngine() = 0;
	virtual void deleteEngine() = 0;
	virtual bool hasEngine() = 0;
	virtual void engineStart() = 0;
	virtual void engineStop(bool force) = 0;
	virtual bool engineIsLoggedOn() = 0;
	virtual std::set<FIX::SessionID> engineSessions() = 0;
	virtual FIX::Session* engineSession(const FIX::SessionID& id) = 0;

	void resolveSession(FIX::Message& message);

	static NAN_METHOD(start);
	static NAN_METHOD(stop);
	static NAN_METHOD(send);
	static NAN_METHOD(sendRaw);
	static NAN_METHOD(sendSync);
	static NAN_METHOD(isLoggedOn);
	static NAN_METHOD(getSessions);
	static NAN_METHOD(getSession);

	std::shared_ptr<CallbackTarget> mTarget;
	std::unordered_set<std::string> mCallbackRegistry;
	FixApplication* mFixApplication;
	FIX::MessageStoreFactory* mStoreFactory;
	FIX::LogFactory* mLogFactory; // nullptr: no log
	FIX::SessionSettings mSettings;
	Nan::Persistent<v8::Object> mLogonProvider;
	bool mStarted = false;  // JS thread only
	bool mBusy = false;     // a start/stop is in flight (JS thread only)
};

#endif /* FIXCONNECTION_H_ */

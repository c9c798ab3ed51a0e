/*
 * FixConnection.cpp (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 * Also holds the JS methods formerly duplicated in FixInitiator.cpp and FixAcceptor.cpp.
 */
#include <sstream>
#include <stdexcept>

#include "quickfix/Exceptions.h"
#include "FixConnection.h"
#include "FixMessageUtil.h"
#include "FixSession.h"
#include "FixWorkers.h"
#include "FixLoginProvider.h"
#include "Dispatcher.h"

FixConnection::FixConnection(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory)
	: Nan::ObjectWrap(), mSettings(settings) {
	mTarget = std::make_shared<CallbackTarget>();
	mFixApplication = new FixApplication(mTarget, &mCallbackRegistry);

	if (storeFactory == "memory") {
		mStoreFactory = new FIX::MemoryStoreFactory();
	} else if (storeFactory == "file") {
		mStoreFactory = new FIX::FileStoreFactory(mSettings);
	} else {
		throw std::runtime_error("unsupported storeFactory: " + storeFactory + " (file or memory)");
	}

	if (logFactory == "file") {
		mLogFactory = new FIX::FileLogFactory(mSettings);
	} else if (logFactory == "screen") {
		mLogFactory = new FIX::ScreenLogFactory(mSettings);
	} else if (logFactory == "none") {
		mLogFactory = nullptr;
	} else {
		throw std::runtime_error("unsupported logFactory: " + logFactory + " (file, screen or none)");
	}
}

FixConnection::~FixConnection() {
	// Only reached when not started (a started connection is referenced). Subclasses delete the engine.
	delete mFixApplication;
	delete mStoreFactory;
	delete mLogFactory;
	mLogonProvider.Reset();
}

void FixConnection::SetPrototypeMethods(v8::Local<v8::FunctionTemplate> tpl) {
	Nan::SetPrototypeMethod(tpl, "start", start);
	Nan::SetPrototypeMethod(tpl, "stop", stop);
	Nan::SetPrototypeMethod(tpl, "send", send);
	Nan::SetPrototypeMethod(tpl, "sendRaw", sendRaw);
	Nan::SetPrototypeMethod(tpl, "sendSync", sendSync);
	Nan::SetPrototypeMethod(tpl, "isLoggedOn", isLoggedOn);
	Nan::SetPrototypeMethod(tpl, "getSessions", getSessions);
	Nan::SetPrototypeMethod(tpl, "getSession", getSession);
}

std::string FixConnection::stringOption(v8::Local<v8::Object> options, const char* key, const std::string& fallback) {
	if (!FixMessageUtil::has(options, key)) return fallback;
	v8::Local<v8::Value> value = FixMessageUtil::get(options, key);
	if (value->IsUndefined() || value->IsNull()) return fallback;
	return FixMessageUtil::toStdString(value);
}

FIX::SessionSettings FixConnection::settingsFromOptions(v8::Local<v8::Object> options) {
	if (FixMessageUtil::has(options, "propertiesFile")) {
		return FIX::SessionSettings(FixMessageUtil::toStdString(FixMessageUtil::get(options, "propertiesFile")));
	}
	if (FixMessageUtil::has(options, "settings")) {
		std::stringstream stream;
		stream << FixMessageUtil::toStdString(FixMessageUtil::get(options, "settings"));
		FIX::SessionSettings settings;
		stream >> settings;
		return settings;
	}
	throw std::runtime_error("you must provide either an options.settings string or options.propertiesFile path to a properties file");
}

void FixConnection::configure(v8::Local<v8::Object> self, v8::Local<v8::Object> callbackObj, v8::Local<v8::Object> options) {
	Wrap(self);
	mTarget->callbacks.Reset(callbackObj);

	v8::Local<v8::Array> callbackNames = Nan::GetOwnPropertyNames(callbackObj).ToLocalChecked();
	for (uint32_t i = 0; i < callbackNames->Length(); ++i) {
		mCallbackRegistry.insert(FixMessageUtil::toStdString(Nan::Get(callbackNames, i).ToLocalChecked()));
	}

	if (FixMessageUtil::has(options, "logonProvider")) {
		v8::Local<v8::Value> provider = FixMessageUtil::get(options, "logonProvider");
		if (provider->IsObject()) {
			int timeout = 0;
			if (FixMessageUtil::has(options, "logonTimeout")) {
				timeout = Nan::To<int32_t>(FixMessageUtil::get(options, "logonTimeout")).FromMaybe(0);
			}
			mLogonProvider.Reset(provider.As<v8::Object>());
			mFixApplication->setLogonProvider(Nan::ObjectWrap::Unwrap<FixLoginProvider>(provider.As<v8::Object>()), timeout);
		}
	}

	if (FixMessageUtil::has(options, "credentials")) {
		v8::Local<v8::Value> credsValue = FixMessageUtil::get(options, "credentials");
		if (credsValue->IsObject()) {
			v8::Local<v8::Object> creds = credsValue.As<v8::Object>();
			fix_credentials credentials;
			credentials.username = stringOption(creds, "username", "");
			credentials.password = stringOption(creds, "password", "");
			mFixApplication->setCredentials(credentials);
		}
	}
}

NAN_METHOD(FixConnection::start) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	if (instance->mBusy) return Nan::ThrowError("a start or stop is already in progress");
	if (instance->mStarted) return Nan::ThrowError("already started");
	try {
		if (!instance->hasEngine()) instance->createEngine();
	} catch (std::exception& e) {
		return Nan::ThrowError(e.what());
	}
	instance->mBusy = true;
	instance->mStarted = true;
	instance->Ref();
	Dispatcher::getInstance().retain();
	Nan::AsyncQueueWorker(new FixWorker(optionalCallback(info[0]),
		[instance]() { instance->engineStart(); return true; },
		[instance]() { instance->mBusy = false; }));
}

// stop([force], callback): logs the sessions out (unless force), stops the engine and deletes it.
NAN_METHOD(FixConnection::stop) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	int cbIndex = 0;
	bool force = false;
	if (info.Length() > 0 && info[0]->IsBoolean()) {
		force = Nan::To<bool>(info[0]).FromJust();
		cbIndex = 1;
	}
	Nan::Callback* callback = optionalCallback(info[cbIndex]);
	if (instance->mBusy) {
		delete callback;
		return Nan::ThrowError("a start or stop is already in progress");
	}
	if (!instance->mStarted) {
		Nan::AsyncQueueWorker(new FixWorker(callback, []() { return false; }));
		return;
	}
	instance->mBusy = true;
	Nan::AsyncQueueWorker(new FixWorker(callback,
		[instance, force]() {
			instance->engineStop(force);
			instance->deleteEngine();
			return true;
		},
		[instance]() {
			instance->mBusy = false;
			instance->mStarted = false;
			Dispatcher::getInstance().release();
			instance->Unref();
		}));
}

void FixConnection::resolveSession(FIX::Message& message) {
	// An acceptor message without SenderCompID: pick the session by TargetCompID (as node-quickfix did).
	if (!message.getHeader().isSetField(FIX::FIELD::SenderCompID) && message.getHeader().isSetField(FIX::FIELD::TargetCompID)) {
		std::string targetCompId = message.getHeader().getField(FIX::FIELD::TargetCompID);
		std::set<FIX::SessionID> sessions = engineSessions();
		for (std::set<FIX::SessionID>::iterator it = sessions.begin(); it != sessions.end(); ++it) {
			if (targetCompId == it->getTargetCompID().getString()) {
				message.getHeader().setField(FIX::FIELD::SenderCompID, it->getSenderCompID().getString());
				break;
			}
		}
	}
}

static FIX::Message* messageFromJs(FixConnection* instance, v8::Local<v8::Value> value) {
	if (!value->IsObject()) throw std::runtime_error("message must be an object");
	std::unique_ptr<FIX::Message> fixMessage(new FIX::Message());
	FixMessageUtil::js2Fix(fixMessage.get(), value.As<v8::Object>());
	return fixMessage.release();
}

// send(message, callback): sent from a thread-pool thread; callback(err, sent).
// Ordering between two send() calls is not guaranteed (thread pool): use sendSync for ordered streams.
NAN_METHOD(FixConnection::send) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	FIX::Message* fixMessage;
	try {
		fixMessage = messageFromJs(instance, info[0]);
		instance->resolveSession(*fixMessage);
	} catch (std::exception& e) {
		return Nan::ThrowError(e.what());
	}
	std::shared_ptr<FIX::Message> message(fixMessage);
	Nan::AsyncQueueWorker(new FixWorker(optionalCallback(info[1]),
		[message]() { return FIX::Session::sendToTarget(*message); }));
}

NAN_METHOD(FixConnection::sendRaw) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	std::shared_ptr<FIX::Message> message;
	try {
		message.reset(new FIX::Message(FixMessageUtil::toStdString(info[0]), false));
		instance->resolveSession(*message);
	} catch (std::exception& e) {
		return Nan::ThrowError(e.what());
	}
	Nan::AsyncQueueWorker(new FixWorker(optionalCallback(info[1]),
		[message]() { return FIX::Session::sendToTarget(*message); }));
}

// sendSync(message): sends on the calling (JS) thread, in call order; returns whether QuickFIX sent it
// (false when the session is not logged on: the message is then only stored for resend).
NAN_METHOD(FixConnection::sendSync) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	try {
		std::unique_ptr<FIX::Message> message(messageFromJs(instance, info[0]));
		instance->resolveSession(*message);
		bool sent = FIX::Session::sendToTarget(*message);
		info.GetReturnValue().Set(Nan::New(sent));
	} catch (std::exception& e) {
		return Nan::ThrowError(e.what());
	}
}

NAN_METHOD(FixConnection::isLoggedOn) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	bool loggedOn = instance->hasEngine() && instance->engineIsLoggedOn();
	info.GetReturnValue().Set(Nan::New(loggedOn));
}

NAN_METHOD(FixConnection::getSessions) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	std::set<FIX::SessionID> sessions;
	if (instance->hasEngine()) sessions = instance->engineSessions();
	v8::Local<v8::Array> sessionsArr = Nan::New<v8::Array>((int)sessions.size());
	uint32_t i = 0;
	for (std::set<FIX::SessionID>::iterator it = sessions.begin(); it != sessions.end(); ++it) {
		Nan::Set(sessionsArr, i++, FixMessageUtil::sessionIdToJs(&*it));
	}
	info.GetReturnValue().Set(sessionsArr);
}

NAN_METHOD(FixConnection::getSession) {
	FixConnection* instance = Nan::ObjectWrap::Unwrap<FixConnection>(info.Holder());
	if (!info[0]->IsObject()) return Nan::ThrowTypeError("getSession requires a session id object");
	FIX::Session* session = nullptr;
	try {
		if (instance->hasEngine()) session = instance->engineSession(FixMessageUtil::jsToSessionId(info[0].As<v8::Object>()));
	} catch (std::exception& e) {
		return Nan::ThrowError(e.what());
	}
	if (session == nullptr) {
		info.GetReturnValue().Set(Nan::Null());
		return;
	}
	info.GetReturnValue().Set(FixSession::wrapFixSession(session));
}

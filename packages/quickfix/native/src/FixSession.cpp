/*
 * FixSession.cpp (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 * Port changes: one FixWorker instead of five worker classes; the constructor template is created once;
 * errors reach the callback; seqnum accessors use Nan::To.
 */
#include "FixSession.h"
#include "FixMessageUtil.h"
#include "FixWorkers.h"

Nan::Persistent<v8::FunctionTemplate> FixSession::tpl;

void FixSession::Initialize() {
	Nan::HandleScope scope;
	v8::Local<v8::FunctionTemplate> ctor = Nan::New<v8::FunctionTemplate>();
	ctor->InstanceTemplate()->SetInternalFieldCount(1);
	ctor->SetClassName(Nan::New("FixSession").ToLocalChecked());

	Nan::SetPrototypeMethod(ctor, "disconnect", disconnect);
	Nan::SetPrototypeMethod(ctor, "getSessionID", getSessionID);
	Nan::SetPrototypeMethod(ctor, "isEnabled", isEnabled);
	Nan::SetPrototypeMethod(ctor, "isLoggedOn", isLoggedOn);
	Nan::SetPrototypeMethod(ctor, "logon", logon);
	Nan::SetPrototypeMethod(ctor, "logout", logout);
	Nan::SetPrototypeMethod(ctor, "refresh", refresh);
	Nan::SetPrototypeMethod(ctor, "reset", reset);

	v8::Local<v8::ObjectTemplate> proto = ctor->InstanceTemplate(); // accessors on instances: Holder() is the wrapped object
	Nan::SetAccessor(proto, Nan::New("senderSeqNum").ToLocalChecked(), getSenderSeqNum, setSenderSeqNum);
	Nan::SetAccessor(proto, Nan::New("targetSeqNum").ToLocalChecked(), getTargetSeqNum, setTargetSeqNum);
	tpl.Reset(ctor);
}

v8::Local<v8::Object> FixSession::wrapFixSession(FIX::Session *session) {
	Nan::EscapableHandleScope scope;
	v8::Local<v8::Function> ctor = Nan::GetFunction(Nan::New(tpl)).ToLocalChecked();
	v8::Local<v8::Object> instance = Nan::NewInstance(ctor).ToLocalChecked();
	FixSession* fs = new FixSession(session);
	fs->Wrap(instance);
	return scope.Escape(instance);
}

#define SESSION_OF(info) Nan::ObjectWrap::Unwrap<FixSession>(info.Holder())->mSession

NAN_METHOD(FixSession::isEnabled) {
	info.GetReturnValue().Set(Nan::New(SESSION_OF(info)->isEnabled()));
}

NAN_METHOD(FixSession::isLoggedOn) {
	info.GetReturnValue().Set(Nan::New(SESSION_OF(info)->isLoggedOn()));
}

NAN_METHOD(FixSession::getSessionID) {
	FIX::SessionID sessionId = SESSION_OF(info)->getSessionID();
	info.GetReturnValue().Set(FixMessageUtil::sessionIdToJs(&sessionId));
}

#define SESSION_ASYNC(name, call) \
NAN_METHOD(FixSession::name) { \
	FIX::Session* session = SESSION_OF(info); \
	Nan::AsyncQueueWorker(new FixWorker(optionalCallback(info[0]), [session]() { session->call(); return true; })); \
}

SESSION_ASYNC(disconnect, disconnect)
SESSION_ASYNC(logon, logon)
SESSION_ASYNC(logout, logout)
SESSION_ASYNC(refresh, refresh)
SESSION_ASYNC(reset, reset)

NAN_GETTER(FixSession::getSenderSeqNum) {
	info.GetReturnValue().Set(Nan::New<v8::Number>(SESSION_OF(info)->getExpectedSenderNum()));
}

NAN_SETTER(FixSession::setSenderSeqNum) {
	if (value->IsNumber()) {
		try {
			SESSION_OF(info)->setNextSenderMsgSeqNum(Nan::To<int32_t>(value).FromJust());
		} catch (std::exception& e) {
			Nan::ThrowError(e.what());
		}
	}
}

NAN_GETTER(FixSession::getTargetSeqNum) {
	info.GetReturnValue().Set(Nan::New<v8::Number>(SESSION_OF(info)->getExpectedTargetNum()));
}

NAN_SETTER(FixSession::setTargetSeqNum) {
	if (value->IsNumber()) {
		try {
			SESSION_OF(info)->setNextTargetMsgSeqNum(Nan::To<int32_t>(value).FromJust());
		} catch (std::exception& e) {
			Nan::ThrowError(e.what());
		}
	}
}

/*
 * FixSession.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 * A FixSession wraps a FIX::Session owned by its initiator/acceptor: do not use it after that was stopped.
 */
#ifndef FIXSESSION_H_
#define FIXSESSION_H_

#include <nan.h>
#include "quickfix/Session.h"

class FixSession : public Nan::ObjectWrap {
public:
	static void Initialize();
	static v8::Local<v8::Object> wrapFixSession(FIX::Session *session);

private:
	explicit FixSession(FIX::Session* session) : mSession(session) {}
	~FixSession() {}
	FIX::Session* mSession;
	static Nan::Persistent<v8::FunctionTemplate> tpl;

	static NAN_METHOD(disconnect);
	static NAN_METHOD(getSessionID);
	static NAN_METHOD(isEnabled);
	static NAN_METHOD(isLoggedOn);
	static NAN_METHOD(logon);
	static NAN_METHOD(logout);
	static NAN_METHOD(refresh);
	static NAN_METHOD(reset);

	static NAN_GETTER(getSenderSeqNum);
	static NAN_SETTER(setSenderSeqNum);
	static NAN_GETTER(getTargetSeqNum);
	static NAN_SETTER(setTargetSeqNum);
};

#endif /* FIXSESSION_H_ */

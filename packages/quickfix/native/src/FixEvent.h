/*
 * FixEvent.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported.
 *
 * Port: the event owns copies of the SessionID and the message (the original kept a pointer to the
 * SessionID reference QuickFIX passed to the callback), and shares the connection's callback holder so an
 * event still queued when the connection is collected does not point at freed memory.
 */
#ifndef FIXEVENT_H_
#define FIXEVENT_H_

#include <memory>
#include <string>
#include <nan.h>
#include "quickfix/Message.h"
#include "quickfix/SessionID.h"
#include "FixLoginResponse.h"

// The JS object whose properties are the event callbacks (onLogon, fromApp, ...). Created and destroyed
// on the JS thread only.
struct CallbackTarget {
	Nan::Persistent<v8::Object> callbacks;
	~CallbackTarget() { callbacks.Reset(); }
};

typedef struct fix_event_t {
	std::string eventName;
	std::shared_ptr<CallbackTarget> target;
	FIX::SessionID sessionId;
	std::unique_ptr<FIX::Message> message;
	Nan::Callback* logon = nullptr;               // logon provider callback (onLogonAttempt)
	std::shared_ptr<LogonDecision> logonDecision; // set with `logon`
} fix_event_t;

#endif /* FIXEVENT_H_ */

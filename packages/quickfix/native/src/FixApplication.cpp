/*
 * FixApplication.cpp (node-quickfix 2.1.1), ported to Node 20 / nan 2 and QuickFIX 1.15.
 */
#include "quickfix/SessionID.h"
#include "quickfix/Message.h"
#include "quickfix/Exceptions.h"
#include "Dispatcher.h"
#include "FixApplication.h"
#include "FixEvent.h"
#include "FixLoginProvider.h"
#include "FixLoginResponse.h"

FixApplication::FixApplication(std::shared_ptr<CallbackTarget> target, std::unordered_set<std::string>* callbackRegistry)
	: mTarget(target), mCallbackRegistry(callbackRegistry) {}

FixApplication::~FixApplication() {}

void FixApplication::onCreate( const FIX::SessionID& sessionID )
{
	dispatchEvent("onCreate", sessionID);
}

void FixApplication::onLogon( const FIX::SessionID& sessionID )
{
	dispatchEvent("onLogon", sessionID);
}

void FixApplication::onLogout( const FIX::SessionID& sessionID )
{
	dispatchEvent("onLogout", sessionID);
}

void FixApplication::toAdmin( FIX::Message& message, const FIX::SessionID& sessionID )
{
	// Username (553) / Password (554) on an outgoing Logon.
	if (mCredentials && message.getHeader().getField(FIX::FIELD::MsgType) == "A") {
		if (!mCredentials->username.empty()) message.setField(FIX::FIELD::Username, mCredentials->username);
		if (!mCredentials->password.empty()) message.setField(FIX::FIELD::Password, mCredentials->password);
	}
	dispatchEvent("toAdmin", message, sessionID);
}

void FixApplication::fromAdmin( const FIX::Message& message, const FIX::SessionID& sessionID )
{
	dispatchEvent("fromAdmin", message, sessionID);

	if (mLoginProvider != nullptr && message.getHeader().getField(FIX::FIELD::MsgType) == "A") {
		// The session thread waits here for the JS logon provider (no busy-wait; rejected on timeout).
		std::shared_ptr<LogonDecision> decision = std::make_shared<LogonDecision>();
		fix_event_t *data = new fix_event_t;
		data->eventName = "onLogonAttempt";
		data->target = mTarget;
		data->sessionId = sessionID;
		data->message.reset(new FIX::Message(message));
		data->logon = mLoginProvider->getLogon();
		data->logonDecision = decision;
		Dispatcher::getInstance().dispatch(data);

		if (!decision->wait(mLogonTimeoutMs)) {
			throw FIX::RejectLogon("logon rejected");
		}
	}
}

void FixApplication::toApp( FIX::Message& message, const FIX::SessionID& sessionID )
{
	dispatchEvent("toApp", message, sessionID);
}

void FixApplication::fromApp( const FIX::Message& message, const FIX::SessionID& sessionID )
{
	dispatchEvent("fromApp", message, sessionID);
}

bool FixApplication::wants(const std::string& eventName) const {
	return mCallbackRegistry->find(eventName) != mCallbackRegistry->end();
}

void FixApplication::dispatchEvent(const std::string& eventName, const FIX::Message& message, const FIX::SessionID& sessionID) {
	if (!wants(eventName)) return;
	fix_event_t *data = new fix_event_t;
	data->eventName = eventName;
	data->target = mTarget;
	data->sessionId = sessionID;
	data->message.reset(new FIX::Message(message));
	Dispatcher::getInstance().dispatch(data);
}

void FixApplication::dispatchEvent(const std::string& eventName, const FIX::SessionID& sessionID) {
	if (!wants(eventName)) return;
	fix_event_t *data = new fix_event_t;
	data->eventName = eventName;
	data->target = mTarget;
	data->sessionId = sessionID;
	Dispatcher::getInstance().dispatch(data);
}

void FixApplication::setLogonProvider(FixLoginProvider* loginProvider, int timeoutMs) {
	mLoginProvider = loginProvider;
	if (timeoutMs > 0) mLogonTimeoutMs = timeoutMs;
}

void FixApplication::setCredentials(const fix_credentials& credentials) {
	mCredentials.reset(new fix_credentials(credentials));
}

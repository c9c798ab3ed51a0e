/*
 * FixApplication.h (node-quickfix 2.1.1), ported to QuickFIX 1.15 / C++17: no dynamic exception
 * specifications (built against a copy of the QuickFIX headers with them removed).
 */
#ifndef APPLICATION_H
#define APPLICATION_H

#include <memory>
#include <string>
#include <unordered_set>
#include <nan.h>

#include "quickfix/Application.h"
#include "quickfix/SessionID.h"
#include "quickfix/Message.h"
#include "FixLoginProvider.h"
#include "FixCredentials.h"
#include "FixEvent.h"

class FixApplication : public FIX::Application
{
	public:
		FixApplication(std::shared_ptr<CallbackTarget> target, std::unordered_set<std::string>* callbackRegistry);
		~FixApplication();
		void setLogonProvider(FixLoginProvider* logonProvider, int timeoutMs);
		void setCredentials(const fix_credentials& credentials);

	protected:
		std::shared_ptr<CallbackTarget> mTarget;
		std::unordered_set<std::string>* mCallbackRegistry;
		std::unique_ptr<fix_credentials> mCredentials;
		FixLoginProvider* mLoginProvider = nullptr;
		int mLogonTimeoutMs = 10000;

		void onCreate( const FIX::SessionID& sessionID ) override;
		void onLogon( const FIX::SessionID& sessionID ) override;
		void onLogout( const FIX::SessionID& sessionID ) override;
		void toAdmin( FIX::Message& message, const FIX::SessionID& sessionID ) override;
		void fromAdmin( const FIX::Message& message, const FIX::SessionID& sessionID ) override;
		void toApp( FIX::Message&, const FIX::SessionID& ) override;
		void fromApp( const FIX::Message& message, const FIX::SessionID& sessionID ) override;

		bool wants(const std::string& eventName) const;
		void dispatchEvent(const std::string& eventName, const FIX::Message& message, const FIX::SessionID& sessionID);
		void dispatchEvent(const std::string& eventName, const FIX::SessionID& sessionID);
};

#endif

/*
 * FixAcceptor.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 */
#ifndef FIXACCEPTOR_H_
#define FIXACCEPTOR_H_

#include <atomic>
#include <nan.h>
#include "FixConnection.h"
#include "quickfix/ThreadedSocketAcceptor.h"

class FixAcceptor : public FixConnection {
	public:
		static NAN_MODULE_INIT(Init);
		static NAN_METHOD(New);

		FixAcceptor(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory);

	protected:
		~FixAcceptor();
		void createEngine() override;
		void deleteEngine() override;
		bool hasEngine() override { return mAcceptor.load() != nullptr; }
		void engineStart() override { mAcceptor.load()->start(); }
		void engineStop(bool force) override { mAcceptor.load()->stop(force); }
		bool engineIsLoggedOn() override { return mAcceptor.load()->isLoggedOn(); }
		std::set<FIX::SessionID> engineSessions() override { return mAcceptor.load()->getSessions(); }
		FIX::Session* engineSession(const FIX::SessionID& id) override { return mAcceptor.load()->getSession(id); }

	private:
		std::atomic<FIX::Acceptor*> mAcceptor{nullptr};
};

#endif /* FIXACCEPTOR_H_ */

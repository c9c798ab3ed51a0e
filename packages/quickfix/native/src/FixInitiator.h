/*
 * FixInitiator.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 */
#ifndef FIXINITIATOR_H
#define FIXINITIATOR_H

#include <atomic>
#include <nan.h>
#include "FixConnection.h"
#include "quickfix/SocketInitiator.h"

class FixInitiator : public FixConnection {
 public:
  static NAN_MODULE_INIT(Init);
  static NAN_METHOD(New);

  FixInitiator(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory);

 protected:
  ~FixInitiator();
  void createEngine() override;
  void deleteEngine() override;
  bool hasEngine() override { return mInitiator.load() != nullptr; }
  void engineStart() override { mInitiator.load()->start(); }
  void engineStop(bool force) override { mInitiator.load()->stop(force); }
  bool engineIsLoggedOn() override { return mInitiator.load()->isLoggedOn(); }
  std::set<FIX::SessionID> engineSessions() override { return mInitiator.load()->getSessions(); }
  FIX::Session* engineSession(const FIX::SessionID& id) override { return mInitiator.load()->getSession(id); }

 private:
  std::atomic<FIX::Initiator*> mInitiator{nullptr};
};

#endif

/*
 * FixInitiator.cpp (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 * The JS methods are in FixConnection.cpp. SSL (HAVE_SSL) variants are not built: Debian's empty
 * config.h does not define it.
 */
#include <stdexcept>
#include "FixInitiator.h"
#include "FixMessageUtil.h"

FixInitiator::FixInitiator(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory)
	: FixConnection(settings, storeFactory, logFactory) {
	createEngine();
}

FixInitiator::~FixInitiator() {
	deleteEngine();
}

void FixInitiator::createEngine() {
	if (mLogFactory != nullptr) {
		mInitiator.store(new FIX::SocketInitiator(*mFixApplication, *mStoreFactory, mSettings, *mLogFactory));
	} else {
		mInitiator.store(new FIX::SocketInitiator(*mFixApplication, *mStoreFactory, mSettings));
	}
}

void FixInitiator::deleteEngine() {
	delete mInitiator.exchange(nullptr);
}

NAN_MODULE_INIT(FixInitiator::Init) {
	v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(New);
	tpl->SetClassName(Nan::New("FixInitiator").ToLocalChecked());
	tpl->InstanceTemplate()->SetInternalFieldCount(1);
	FixConnection::SetPrototypeMethods(tpl);
	Nan::Set(target, Nan::New("FixInitiator").ToLocalChecked(), Nan::GetFunction(tpl).ToLocalChecked());
}

// new FixInitiator(callbacks, options)
NAN_METHOD(FixInitiator::New) {
	if (!info.IsConstructCall()) return Nan::ThrowError("FixInitiator must be called with new");
	if (info.Length() < 2 || !info[0]->IsObject() || !info[1]->IsObject()) {
		return Nan::ThrowError("FixInitiator requires a callbacks object and an options parameter");
	}
	v8::Local<v8::Object> callbacks = info[0].As<v8::Object>();
	v8::Local<v8::Object> options = info[1].As<v8::Object>();

	FixInitiator* instance = nullptr;
	try {
		FIX::SessionSettings sessionSettings = settingsFromOptions(options);
		instance = new FixInitiator(sessionSettings,
			stringOption(options, "storeFactory", "file"),
			stringOption(options, "logFactory", "file"));
		instance->configure(info.This(), callbacks, options);
	} catch (std::exception& e) {
		if (instance != nullptr && instance->persistent().IsEmpty()) delete instance;
		return Nan::ThrowError(e.what());
	}
	info.GetReturnValue().Set(info.This());
}

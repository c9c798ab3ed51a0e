/*
 * FixAcceptor.cpp (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 * The JS methods are in FixConnection.cpp. SSL (HAVE_SSL) variants are not built: Debian's empty
 * config.h does not define it.
 */
#include <stdexcept>
#include "FixAcceptor.h"
#include "FixMessageUtil.h"

FixAcceptor::FixAcceptor(const FIX::SessionSettings& settings, const std::string& storeFactory, const std::string& logFactory)
	: FixConnection(settings, storeFactory, logFactory) {
	createEngine();
}

FixAcceptor::~FixAcceptor() {
	deleteEngine();
}

void FixAcceptor::createEngine() {
	if (mLogFactory != nullptr) {
		mAcceptor.store(new FIX::ThreadedSocketAcceptor(*mFixApplication, *mStoreFactory, mSettings, *mLogFactory));
	} else {
		mAcceptor.store(new FIX::ThreadedSocketAcceptor(*mFixApplication, *mStoreFactory, mSettings));
	}
}

void FixAcceptor::deleteEngine() {
	delete mAcceptor.exchange(nullptr);
}

NAN_MODULE_INIT(FixAcceptor::Init) {
	v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(New);
	tpl->SetClassName(Nan::New("FixAcceptor").ToLocalChecked());
	tpl->InstanceTemplate()->SetInternalFieldCount(1);
	FixConnection::SetPrototypeMethods(tpl);
	Nan::Set(target, Nan::New("FixAcceptor").ToLocalChecked(), Nan::GetFunction(tpl).ToLocalChecked());
}

// new FixAcceptor(callbacks, options)
NAN_METHOD(FixAcceptor::New) {
	if (!info.IsConstructCall()) return Nan::ThrowError("FixAcceptor must be called with new");
	if (info.Length() < 2 || !info[0]->IsObject() || !info[1]->IsObject()) {
		return Nan::ThrowError("FixAcceptor requires a callbacks object and an options parameter");
	}
	v8::Local<v8::Object> callbacks = info[0].As<v8::Object>();
	v8::Local<v8::Object> options = info[1].As<v8::Object>();

	FixAcceptor* instance = nullptr;
	try {
		FIX::SessionSettings sessionSettings = settingsFromOptions(options);
		instance = new FixAcceptor(sessionSettings,
			stringOption(options, "storeFactory", "file"),
			stringOption(options, "logFactory", "file"));
		instance->configure(info.This(), callbacks, options);
	} catch (std::exception& e) {
		if (instance != nullptr && instance->persistent().IsEmpty()) delete instance;
		return Nan::ThrowError(e.what());
	}
	info.GetReturnValue().Set(info.This());
}

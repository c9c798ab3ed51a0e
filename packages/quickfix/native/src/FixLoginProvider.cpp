/*
 * FixLoginProvider.cpp (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2.
 */
#include "FixLoginProvider.h"

NAN_MODULE_INIT(FixLoginProvider::Init) {
	v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(New);
	tpl->SetClassName(Nan::New("FixLoginProvider").ToLocalChecked());
	tpl->InstanceTemplate()->SetInternalFieldCount(1);
	Nan::Set(target, Nan::New("FixLoginProvider").ToLocalChecked(), Nan::GetFunction(tpl).ToLocalChecked());
}

NAN_METHOD(FixLoginProvider::New) {
	if (!info.IsConstructCall()) return Nan::ThrowError("FixLoginProvider must be called with new");
	if (info.Length() < 1 || !info[0]->IsFunction()) return Nan::ThrowTypeError("FixLoginProvider requires a function");
	FixLoginProvider *loginProvider = new FixLoginProvider();
	loginProvider->Wrap(info.This());
	loginProvider->logon = new Nan::Callback(info[0].As<v8::Function>());
	info.GetReturnValue().Set(info.This());
}

Nan::Callback* FixLoginProvider::getLogon() {
	return logon;
}

FixLoginProvider::~FixLoginProvider() {
	delete logon;
}

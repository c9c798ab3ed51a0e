/*
 * FixLoginResponse.cpp (node-quickfix 2.1.1, Kermen Deol, 2015), ported to Node 20 / nan 2.
 */
#include "FixLoginResponse.h"

Nan::Persistent<v8::FunctionTemplate> FixLoginResponse::tpl;

void FixLoginResponse::Initialize() {
	Nan::HandleScope scope;
	v8::Local<v8::FunctionTemplate> ctor = Nan::New<v8::FunctionTemplate>();
	ctor->InstanceTemplate()->SetInternalFieldCount(1);
	ctor->SetClassName(Nan::New("FixLoginResponse").ToLocalChecked());
	Nan::SetPrototypeMethod(ctor, "done", done);
	tpl.Reset(ctor);
}

v8::Local<v8::Object> FixLoginResponse::wrapFixLoginResponse(std::shared_ptr<LogonDecision> decision) {
	Nan::EscapableHandleScope scope;
	v8::Local<v8::FunctionTemplate> ctor = Nan::New(tpl);
	v8::Local<v8::Object> obj = Nan::NewInstance(Nan::GetFunction(ctor).ToLocalChecked()).ToLocalChecked();
	FixLoginResponse* response = new FixLoginResponse(decision);
	response->Wrap(obj); // weak: freed by the GC; the waiting thread keeps its own reference to the state
	return scope.Escape(obj);
}

NAN_METHOD(FixLoginResponse::done) {
	FixLoginResponse* instance = Nan::ObjectWrap::Unwrap<FixLoginResponse>(info.Holder());
	bool success = info.Length() > 0 && Nan::To<bool>(info[0]).FromMaybe(false);
	instance->mDecision->done(success);
}

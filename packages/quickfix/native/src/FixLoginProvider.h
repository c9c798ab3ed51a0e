/*
 * FixLoginProvider.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2.
 */
#ifndef FIXLOGINPROVIDER_H_
#define FIXLOGINPROVIDER_H_

#include <nan.h>

class FixLoginProvider : public Nan::ObjectWrap {
	public:
		static NAN_MODULE_INIT(Init);
		static NAN_METHOD(New);
		Nan::Callback* getLogon();

	private:
		~FixLoginProvider();
		Nan::Callback* logon = nullptr;
};

#endif /* FIXLOGINPROVIDER_H_ */

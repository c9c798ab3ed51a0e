/*
 * node_quickfix.cpp (node-quickfix 2.1.1), ported to Node 20 / nan 2 and QuickFIX 1.15.
 */
#include <nan.h>
#include "FixInitiator.h"
#include "FixAcceptor.h"
#include "FixSession.h"
#include "FixLoginProvider.h"
#include "FixLoginResponse.h"
#include "Dispatcher.h"

NAN_MODULE_INIT(InitAll) {
	Dispatcher::getInstance(); // create the uv_async_t on the JS thread
	FixLoginResponse::Initialize();
	FixSession::Initialize();
	FixLoginProvider::Init(target);
	FixInitiator::Init(target);
	FixAcceptor::Init(target);
}

// Register the module with node.
NODE_MODULE(NodeQuickfix, InitAll)

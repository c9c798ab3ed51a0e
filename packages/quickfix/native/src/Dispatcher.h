/*
 * Dispatcher.h (node-quickfix 2.1.1, skutko, 2015), ported to Node 20 / libuv 1.x / nan 2.
 *
 * QuickFIX calls the application from its own threads; events are queued here and delivered on the JS
 * thread through a uv_async_t. Port changes:
 *  - uv_async_cb has a single argument in libuv 1.x;
 *  - uv_ref/uv_unref are not thread-safe and are no longer called from QuickFIX threads: the handle is
 *    referenced (keeps the process alive) while at least one engine is started (retain/release, called on
 *    the JS thread);
 *  - callbacks run through a Nan::AsyncResource (MakeCallback with an async context);
 *  - the instance is created on the JS thread at module load (it was lazily created by the first QuickFIX
 *    thread that dispatched).
 */
#ifndef DISPATCHER_H_
#define DISPATCHER_H_

#include <vector>
#include <nan.h>
#include "FixEvent.h"
#include "FixMessageUtil.h"
#include "FixLoginResponse.h"
#include "Threading.h"

class Dispatcher {
  public:
    static Dispatcher& getInstance() {
        static Dispatcher instance;
        return instance;
    }

    static void listener(uv_async_t* handle) {
        Dispatcher* dispatcher = static_cast<Dispatcher*>(handle->data);
        std::vector<fix_event_t*> events;
        {
            std::lock_guard<std::mutex> lock(dispatcher->mutex);
            events.swap(dispatcher->data);
        }

        for (size_t i = 0; i < events.size(); i++) {
            fix_event_t* event = events[i];
            {
                Nan::HandleScope scope;
                dispatcher->deliver(event);
            }
            delete event;
        }
    }

    void dispatch(fix_event_t* event) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            data.push_back(event);
        }
        uv_async_send(&watcher);
    }

    // JS thread only.
    void retain() {
        if (active++ == 0) uv_ref((uv_handle_t*)&watcher);
    }
    void release() {
        if (active > 0 && --active == 0) uv_unref((uv_handle_t*)&watcher);
    }

  private:
    uv_async_t watcher;
    std::mutex mutex;
    std::vector<fix_event_t*> data;
    int active = 0;
    Nan::AsyncResource* resource;

    void deliver(fix_event_t* event) {
        v8::Local<v8::Function> callback;
        std::vector< v8::Local<v8::Value> > arguments;

        if (event->logon != nullptr) {
            callback = event->logon->GetFunction();
            arguments.push_back(FixLoginResponse::wrapFixLoginResponse(event->logonDecision));
        } else {
            if (!event->target) return;
            v8::Local<v8::Object> callbackObj = Nan::New(event->target->callbacks);
            v8::Local<v8::Value> fn;
            if (!Nan::Get(callbackObj, Nan::New(event->eventName).ToLocalChecked()).ToLocal(&fn) || !fn->IsFunction()) {
                return;
            }
            callback = fn.As<v8::Function>();
        }

        if (event->message) {
            v8::Local<v8::Object> msg = Nan::New<v8::Object>();
            FixMessageUtil::fix2Js(msg, event->message.get());
            arguments.push_back(msg);
        }
        arguments.push_back(FixMessageUtil::sessionIdToJs(&event->sessionId));

        v8::Local<v8::Object> recv = Nan::GetCurrentContext()->Global();
        resource->runInAsyncScope(recv, callback, (int)arguments.size(), arguments.data());
    }

    Dispatcher() {
        watcher.data = this;
        uv_async_init(uv_default_loop(), &watcher, listener);
        uv_unref((uv_handle_t*)&watcher);
        resource = new Nan::AsyncResource("node-quickfix:dispatch");
    };

    ~Dispatcher() {}

    Dispatcher(Dispatcher const&)      = delete;
    void operator=(Dispatcher const&)  = delete;
};

#endif /* DISPATCHER_H_ */

/*
 * FixMessageUtil.h (node-quickfix 2.1.1, Kermen Deol, 2014), ported to Node 20 / nan 2 and QuickFIX 1.15.
 *
 * Port changes:
 *  - V8 APIs removed since 2018 (Object::Get(key)/Set/Has without context, Value::ToString()/ToObject()/
 *    Int32Value(), String::Utf8Value without isolate) are replaced by Nan::Get/Set/Has/To and
 *    Nan::Utf8String;
 *  - QuickFIX 1.15's FieldMap stores a vector of FieldBase: iterators give `it->getTag()`/`it->getString()`
 *    instead of the old map's `it->first`/`it->second`;
 *  - malformed input raises a std::runtime_error (turned into a JS exception by the caller) instead of
 *    calling Nan::ThrowError and carrying on with an empty handle.
 *
 * JS message format (unchanged):
 *   { header: {8: 'FIX.4.4', 35: 'D', ...}, tags: {tag: value}, trailer: {...},
 *     groups: [{ index: countTag, delim: firstTag, entries: [{tag: value} | {tags: {...}, groups: [...]}] }] }
 * Received messages have `groups` as an object: { [countTag]: [{ tags: {...}, groups?: {...} }] }.
 */
#ifndef FIXMESSAGEUTIL_H_
#define FIXMESSAGEUTIL_H_

#include <stdexcept>
#include <string>
#include <nan.h>

#include "quickfix/SessionID.h"
#include "quickfix/Message.h"
#include "quickfix/Group.h"

class FixMessageUtil {
public:
	static v8::Local<v8::Value> get(v8::Local<v8::Object> obj, const char* key) {
		v8::Local<v8::Value> value;
		if (!Nan::Get(obj, Nan::New(key).ToLocalChecked()).ToLocal(&value)) throw std::runtime_error(std::string("cannot read ") + key);
		return value;
	}

	static bool has(v8::Local<v8::Object> obj, const char* key) {
		return Nan::Has(obj, Nan::New(key).ToLocalChecked()).FromMaybe(false);
	}

	static std::string toStdString(v8::Local<v8::Value> value) {
		Nan::Utf8String str(value);
		if (*str == nullptr) throw std::runtime_error("value cannot be converted to a string");
		return std::string(*str, str.length());
	}

	static int toTag(v8::Local<v8::Value> key) {
		int tag = Nan::To<int32_t>(key).FromMaybe(0);
		if (tag <= 0) throw std::runtime_error("invalid FIX tag: " + toStdString(key));
		return tag;
	}

	static v8::Local<v8::Object> toObject(v8::Local<v8::Value> value, const char* what) {
		if (!value->IsObject()) throw std::runtime_error(std::string(what) + " must be an object");
		return value.As<v8::Object>();
	}

	// Copies every own enumerable {tag: value} of obj into map.
	static void setFields(FIX::FieldMap& map, v8::Local<v8::Object> obj) {
		v8::Local<v8::Array> keys = Nan::GetOwnPropertyNames(obj).ToLocalChecked();
		for (uint32_t i = 0; i < keys->Length(); i++) {
			v8::Local<v8::Value> key = Nan::Get(keys, i).ToLocalChecked();
			v8::Local<v8::Value> value = Nan::Get(obj, key).ToLocalChecked();
			if (value->IsUndefined() || value->IsNull()) continue;
			map.setField(toTag(key), toStdString(value));
		}
	}

	static void addFixHeader(FIX::Message* message, v8::Local<v8::Object> msg) {
		if (!has(msg, "header")) throw std::runtime_error("message has no header");
		setFields(message->getHeader(), toObject(get(msg, "header"), "header"));
	}

	static void addFixTags(FIX::FieldMap* map, v8::Local<v8::Object> msg) {
		if (has(msg, "tags")) {
			v8::Local<v8::Value> tags = get(msg, "tags");
			if (!tags->IsUndefined()) setFields(*map, toObject(tags, "tags"));
		}
	}

	static void addFixGroups(FIX::FieldMap* map, v8::Local<v8::Object> msg) {
		if (!has(msg, "groups")) return;
		v8::Local<v8::Value> groupsValue = get(msg, "groups");
		if (groupsValue->IsUndefined()) return;
		if (!groupsValue->IsArray()) throw std::runtime_error("groups must be an array");
		v8::Local<v8::Array> groups = groupsValue.As<v8::Array>();

		for (uint32_t i = 0; i < groups->Length(); i++) {
			v8::Local<v8::Object> groupObj = toObject(Nan::Get(groups, i).ToLocalChecked(), "group");
			if (!has(groupObj, "index")) throw std::runtime_error("no index property found on group");
			if (!has(groupObj, "delim")) throw std::runtime_error("no delim property found on group");
			if (!has(groupObj, "entries")) throw std::runtime_error("no entries property found on group");
			int index = toTag(get(groupObj, "index"));
			int delim = toTag(get(groupObj, "delim"));
			v8::Local<v8::Value> entriesValue = get(groupObj, "entries");
			if (!entriesValue->IsArray()) throw std::runtime_error("group entries must be an array");
			v8::Local<v8::Array> entries = entriesValue.As<v8::Array>();

			for (uint32_t j = 0; j < entries->Length(); j++) {
				v8::Local<v8::Object> entry = toObject(Nan::Get(entries, j).ToLocalChecked(), "group entry");
				FIX::Group group(index, delim);
				if (has(entry, "groups") || has(entry, "tags")) {
					addFixTags(&group, entry);
					addFixGroups(&group, entry);
				} else {
					// compat for old, non-nested format
					setFields(group, entry);
				}
				map->addGroup(index, group);
			}
		}
	}

	static void addFixTrailer(FIX::Message* message, v8::Local<v8::Object> msg) {
		if (has(msg, "trailer")) {
			v8::Local<v8::Value> trailer = get(msg, "trailer");
			if (!trailer->IsUndefined()) setFields(message->getTrailer(), toObject(trailer, "trailer"));
		}
	}

	static void js2Fix(FIX::Message* message, v8::Local<v8::Object> msg) {
		addFixHeader(message, msg);
		addFixTags(message, msg);
		addFixGroups(message, msg);
		addFixTrailer(message, msg);
	}

	static v8::Local<v8::String> str(const std::string& s) {
		return Nan::New<v8::String>(s.data(), (int)s.size()).ToLocalChecked();
	}

	static v8::Local<v8::Object> fieldsToJs(const FIX::FieldMap& map, int& count) {
		v8::Local<v8::Object> obj = Nan::New<v8::Object>();
		count = 0;
		for (FIX::FieldMap::const_iterator it = map.begin(); it != map.end(); ++it) {
			Nan::Set(obj, (uint32_t)it->getTag(), str(it->getString()));
			count++;
		}
		return obj;
	}

	static void addJsHeader(v8::Local<v8::Object> msg, const FIX::Message* message) {
		int n;
		Nan::Set(msg, Nan::New("header").ToLocalChecked(), fieldsToJs(message->getHeader(), n));
	}

	static void addJsTags(v8::Local<v8::Object> msg, const FIX::FieldMap* map) {
		int n;
		v8::Local<v8::Object> tags = fieldsToJs(*map, n);
		if (n > 0) Nan::Set(msg, Nan::New("tags").ToLocalChecked(), tags);
	}

	static void addJsTrailer(v8::Local<v8::Object> msg, const FIX::Message* message) {
		int n;
		Nan::Set(msg, Nan::New("trailer").ToLocalChecked(), fieldsToJs(message->getTrailer(), n));
	}

	static void addJsGroups(v8::Local<v8::Object> msg, const FIX::FieldMap* map) {
		v8::Local<v8::Object> groups = Nan::New<v8::Object>();
		int noGroups = 0;

		for (FIX::FieldMap::g_const_iterator it = map->g_begin(); it != map->g_end(); ++it) {
			const std::vector< FIX::FieldMap* >& groupVector = it->second;
			v8::Local<v8::Array> groupList = Nan::New<v8::Array>((int)groupVector.size());
			uint32_t i = 0;
			for (std::vector< FIX::FieldMap* >::const_iterator v_it = groupVector.begin(); v_it != groupVector.end(); ++v_it) {
				v8::Local<v8::Object> groupEntry = Nan::New<v8::Object>();
				addJsTags(groupEntry, *v_it);
				addJsGroups(groupEntry, *v_it);
				Nan::Set(groupList, i++, groupEntry);
			}
			Nan::Set(groups, (uint32_t)it->first, groupList);
			noGroups++;
		}

		if (noGroups > 0) {
			Nan::Set(msg, Nan::New("groups").ToLocalChecked(), groups);
		}
	}

	static void fix2Js(v8::Local<v8::Object> msg, const FIX::Message* message) {
		addJsHeader(msg, message);
		addJsTags(msg, message);
		addJsTrailer(msg, message);
		addJsGroups(msg, message);
	}

	static v8::Local<v8::Value> sessionIdToJs(const FIX::SessionID* sessionId) {
		Nan::EscapableHandleScope scope;
		v8::Local<v8::Object> session = Nan::New<v8::Object>();
		Nan::Set(session, Nan::New("beginString").ToLocalChecked(), str(sessionId->getBeginString().getString()));
		Nan::Set(session, Nan::New("senderCompID").ToLocalChecked(), str(sessionId->getSenderCompID().getString()));
		Nan::Set(session, Nan::New("targetCompID").ToLocalChecked(), str(sessionId->getTargetCompID().getString()));
		Nan::Set(session, Nan::New("sessionQualifier").ToLocalChecked(), str(sessionId->getSessionQualifier()));
		return scope.Escape(session);
	}

	static FIX::SessionID jsToSessionId(v8::Local<v8::Object> sessionId) {
		std::string qualifier;
		if (has(sessionId, "sessionQualifier")) {
			v8::Local<v8::Value> q = get(sessionId, "sessionQualifier");
			if (!q->IsUndefined() && !q->IsNull()) qualifier = toStdString(q);
		}
		return FIX::SessionID(toStdString(get(sessionId, "beginString")),
				toStdString(get(sessionId, "senderCompID")),
				toStdString(get(sessionId, "targetCompID")),
				qualifier);
	}
};

#endif /* FIXMESSAGEUTIL_H_ */

// Ported from node-quickfix 2.1.1 (src/Threading.h). The Win32/boost/pthread macros are replaced by
// std::mutex / std::condition_variable (C++17).
#ifndef NODE_QUICKFIX_THREADING_H
#define NODE_QUICKFIX_THREADING_H

#include <mutex>
#include <condition_variable>

#endif // NODE_QUICKFIX_THREADING_H

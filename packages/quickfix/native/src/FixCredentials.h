/*
 * FixCredentials.h (node-quickfix 2.1.1, Kermen Deol, 2014)
 */
#ifndef FIXCREDENTIALS_H_
#define FIXCREDENTIALS_H_

#include <string>

typedef struct {
	std::string username;
	std::string password;
} fix_credentials;

#endif /* FIXCREDENTIALS_H_ */

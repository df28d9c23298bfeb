/*
 * Functions banned in the customs tree, poisoned so that a use is a
 * compile error. Unbounded copies (strcpy, strcat, sprintf), hidden state
 * (strtok, gmtime, localtime) and unchecked parsing (atoi) have bounded or
 * checked replacements in util.
 */
#ifndef CUSTOMS_BANNED_H
#define CUSTOMS_BANNED_H

#pragma GCC poison strcpy strcat sprintf vsprintf strtok atoi atol gmtime \
	localtime

#endif

/*
 * Shorthands for writing the built-in secret rules (rules_*.c): word
 * boundaries, the "name ... = value" glue of vendor-keyword rules, the
 * named secret group and severities.
 */
#ifndef CUSTOMS_SECRETS_RULES_MACROS_H
#define CUSTOMS_SECRETS_RULES_MACROS_H

/* no letter or digit right before / after the token */
#define B "(?<![A-Za-z0-9])"
#define E "(?![A-Za-z0-9])"
/* no base64 character right before / after the token */
#define B64B "(?<![A-Za-z0-9+/])"
#define B64E "(?![A-Za-z0-9+/])"
/* "name ... =" between a vendor keyword and its value */
#define KV "[\\w.\\-]{0,20}[\\s'\"]{0,3}(?:=|>|:=|\\|\\|:|<=|=>|:)[\\s'\"]{0,5}"
#define S(x) "(?<secret>" x ")"
#define VENDOR(name, val) "(?i)" name KV S(val) E
#define UUID "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

#define C CUSTOMS_SECRET_SEV_CRITICAL
#define H CUSTOMS_SECRET_SEV_HIGH
#define M CUSTOMS_SECRET_SEV_MEDIUM
#define L CUSTOMS_SECRET_SEV_LOW
#define U CUSTOMS_SECRET_SEV_UNKNOWN

#endif

/*
 * Internal side of the policy module: the gate/trigger/parameter table,
 * compiled rules, the analysis document with its prepared indexes and
 * the evaluation context a trigger writes rows to.
 */
#ifndef CUSTOMS_POLICY_INT_H
#define CUSTOMS_POLICY_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "customs/policy.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"

#define MAX_PARAMS 24
#define MAX_MSG (4u << 20)

/* Parameter validators (Anchore's validator classes). */
enum vtype {
	V_STR, /* any JSON string */
	V_BOOL, /* "true"/"false", any case */
	V_INT, /* ^\s*\d+\s*$ */
	V_FLOAT, /* ^\s*-*(\d)*(\.\d*)?\s*$ */
	V_ENUM, /* exact member, case-sensitive */
	V_CSV, /* comma list of non-empty items */
	V_CSV_INT, /* comma list of digits */
	V_SIZE, /* ^([0-9]+)([kmgt]b)?$ */
};

struct ectx;
struct prule;

struct pspec {
	const char *name;
	const char *alias; /* older name, honoured; NULL */
	bool required;
	enum vtype type;
	const char *const *enums; /* V_ENUM members, NULL-terminated */
	const char *desc;
	const char *example;
};

typedef int (*fire_fn)(struct ectx *e, const struct prule *r);

struct tspec {
	const char *name;
	const char *desc;
	const struct pspec *params;
	size_t nparams;
	fire_fn fire;
};

enum gstate { GS_ACTIVE, GS_EOL };

struct gspec {
	const char *name;
	const char *desc;
	enum gstate state;
	const char *superseded_by;
	const struct tspec *triggers;
	size_t ntriggers;
	const char *const *eol_triggers; /* EOL gates: names only */
	bool ours; /* a customs gate, not Anchore's */
};

/* The gate table (spec.c). */
extern const struct gspec *const policy_gates[];
extern const size_t policy_ngates;
const struct gspec *spec_gate(const char *name); /* case-insensitive */
const struct tspec *spec_trigger(const struct gspec *g, const char *name);
bool spec_value_ok(const struct pspec *p, const char *v);
/* Checks across parameters (metadata's value depends on attribute). */
bool spec_rule_ok(const struct prule *r);

/* A rule ready to run: parameter values indexed like t->params. */
struct prule {
	const struct gspec *g;
	const struct tspec *t;
	enum customs_policy_action action;
	const char *id; /* NULL when absent */
	const char *pv[MAX_PARAMS];
};

/* A vulnerability match with the fields the gates read, extracted once. */
struct vm {
	const json_t *v, *vuln, *pkg, *fix;
	const char *id, *name, *version, *ptype, *loc, *sev;
	bool nonos, wontfix;
	double nvd[3], vendor[3]; /* base, exploitability, impact */
};

/* A files[] entry, extracted once. */
struct afile {
	const char *path, *sha256;
	unsigned long mode; /* full st_mode */
};

/* The prepared analysis document. */
struct customs_policy_analysis {
	struct vm *vms; /* one per vulnerabilities[] entry */
	size_t nvms;
	struct afile *afiles; /* one per files[] entry with a path */
	size_t nafiles;
	json_t *root;
	json_t *files; /* array or NULL */
	json_t *packages; /* array or NULL */
	json_t *vulns; /* array or NULL */
	struct strmap file_by_path; /* path -> json_t* entry */
	char *image_id; /* 64 hex, or "" */
	char *digest; /* manifest digest or "" */
};

struct ectx {
	const struct customs_policy_analysis *an;
	const struct prule *rule;
	struct customs_ctx *ctx;
	int64_t now;
	unsigned fixes;
	const char *link_base;
	struct cbuf msg; /* the message being built */
	struct arena *arena; /* row strings */
	struct customs_policy_row *rows;
	size_t nrows, caprows;
	const char *policy_id;
	const char *registry, *repo; /* of the evaluated tag ("*" if none) */
};

/* Emit e->msg as a row; id NULL means md5(gate+trigger+message). */
int emit(struct ectx *e, const char *id);
/* printf into e->msg (reset first). */
int msgf(struct ectx *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parameter value by index, or NULL. */
static inline const char *P(const struct prule *r, size_t i)
{
	return r->pv[i];
}
bool pbool(const struct prule *r, size_t i, bool dflt);
int eval_error(struct ectx *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Patterns and regexes (pattern.c). */
bool wildcard_match(const char *pat, const char *s);
/* Anchore's pattern: "regexp:" prefix = regex match at start, else
 * '*' wildcards over the whole string. *err set on a bad regex. */
bool pattern_match(const char *pat, const char *s, int *err);
struct rx;
int rx_compile(struct rx **out, const char *re, struct customs_ctx *ctx);
/* Match at the start of s (n bytes); 1 match, 0 no, <0 error. */
int rx_match(const struct rx *r, const char *s, size_t n);
void rx_free(struct rx *r);
int rx_match_once(struct ectx *e, const char *re, const char *s);

/* Comma lists: call fn for each trimmed item. */
typedef int (*csv_fn)(void *data, const char *item, size_t n);
int csv_each(const char *s, csv_fn fn, void *data);
bool csv_has(const char *list, const char *s, size_t n);
bool streq_ci(const char *a, const char *b);

/* Python reprs. */
void py_float(struct cbuf *b, double v);
void py_oct(struct cbuf *b, unsigned long v);
void py_str_list(struct cbuf *b, const char *const *v, size_t n);

/* Analysis access (analysis.c). */
const char *jstr(const json_t *o, const char *key); /* NULL if not str */
json_t *an_key(const struct customs_policy_analysis *an, const char *key);
/* Anchore's package type for a syft type ("deb" -> "dpkg"). */
const char *pkg_type_anchore(const char *syft_type);
/* Fill m from one vulnerabilities[] entry (g_vulns.c). */
void vm_load(struct vm *m, const json_t *v);
/* Anchore's version / fullversion of a package record. */
void pkg_versions(const json_t *p, struct cbuf *version, struct cbuf *full);
/* Full st_mode of a files[] entry (type bits from "type"). */
unsigned long file_st_mode(const json_t *f);
/* base64 decode (heap, NUL-terminated); NULL on bad input/ENOMEM. */
char *b64_decode(const char *s, size_t *n);
int64_t parse_rfc3339(const char *s, bool *ok);

/* Gate trigger tables (one per gate file). */
extern const struct gspec gate_always, gate_dockerfile, gate_files,
	gate_licenses, gate_malware, gate_metadata, gate_npms, gate_ruby_gems,
	gate_packages, gate_passwd_file, gate_retrieved_files,
	gate_secret_scans, gate_vulnerabilities, gate_image_source,
	gate_base_image, gate_vuln_extras, gate_distro_eol;

#endif

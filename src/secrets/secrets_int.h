/*
 * Internal state of the secrets module: the compiled rule set, the
 * keyword prefilter, Anchore's line searches, the analyzer's per-file
 * results and the scratch each worker thread borrows.
 */
#ifndef CUSTOMS_SECRETS_INT_H
#define CUSTOMS_SECRETS_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>

#include "customs/secrets.h"
#include "util/buf.h"
#include "util/error.h"

#define SECRETS_MAX_RULES 1024
#define SECRETS_MAX_KEYWORDS 16
#define SECRETS_MAX_FINDINGS_PER_FILE 256
#define SECRETS_MAX_CONFIG_BYTES (1u << 20)
#define SECRETS_SNIFF_BYTES 8192
#define SECRETS_MIN_FILE 10

/* A built-in rule as written in the table (rules_*.c). */
struct builtin_rule {
	const char *id;
	const char *category;
	const char *title;
	enum customs_secret_severity severity;
	const char *keywords[SECRETS_MAX_KEYWORDS];
	const char *regex;
	const char *path; /* only files whose path matches, or NULL */
	const char *allow; /* drop matches whose secret matches, or NULL */
};

extern const struct builtin_rule secrets_builtin_rules[];
extern const size_t secrets_n_builtin_rules;
extern const struct builtin_rule secrets_saas_rules[];
extern const size_t secrets_n_saas_rules;

/* A global allow rule: a path regex, a match regex, or both. */
struct allow_rule {
	char *id;
	char *path_src;
	pcre2_code *path;
	pcre2_code *regex;
	bool builtin;
	bool enabled;
};

struct rule {
	char *id, *category, *title;
	enum customs_secret_severity severity;
	char *regex_src;
	char *keywords_csv;
	pcre2_code *re;
	uint32_t group; /* the secret's capture group; 0 = whole match */
	pcre2_code *path; /* only scan matching paths, or NULL */
	struct allow_rule *allows; /* the rule's own */
	size_t n_allows;
	bool builtin, enabled;
};

/* Case-insensitive multi-keyword prefilter (keywords.c). */
struct kw {
	char *text; /* lower case */
	size_t len;
	uint32_t *rules;
	size_t n_rules;
};

struct kwtab {
	struct kw *v;
	size_t n;
	/* bucket by first (lower-case) byte: indexes into v */
	uint32_t *bucket[256];
	uint32_t n_bucket[256];
	uint64_t pairs[65536 / 64]; /* (lower b0 << 8 | lower b1) seen */
	uint32_t *always; /* rules without keywords */
	size_t n_always;
	void *hs_db, *hs_proto; /* Hyperscan database and scratch, or NULL */
	size_t hs_maxkw; /* longest keyword, for hsf_scan's tail window */
};

/* An Anchore secret_search / content_search pattern. */
struct search_pat {
	char *text; /* "NAME=regex" or "regex" */
	char *key; /* base64 of text */
	const char *keyword; /* file-level prefilter for the named five */
	pcre2_code *re;
};

struct scratch {
	struct scratch *next;
	pcre2_match_data *md;
	uint64_t *cand; /* candidate rule bits */
	uint8_t *kw_seen;
	void *hs; /* this thread's Hyperscan scratch, or NULL */
};

/* One found secret before the report (offsets into the scanned file). */
struct raw_finding {
	uint32_t rule;
	unsigned line;
	char *match;
};

struct raw_hits {
	uint32_t pat;
	unsigned *lines;
	size_t n, cap;
};

/* A secret's byte range in the scanned text (censoring mode). */
struct span {
	size_t s0, s1;
};

/* What the analyzer keeps for one (layer, path). */
struct file_result {
	struct raw_finding *findings;
	size_t n_findings, cap_findings;
	struct span *spans; /* want_spans: secret ranges, no findings */
	size_t n_spans, cap_spans;
	bool want_spans;
	struct raw_hits *secret_hits;
	size_t n_secret_hits;
	struct raw_hits *content_hits;
	size_t n_content_hits;
	unsigned char *retrieved;
	size_t retrieved_len;
	uint64_t size;
	bool retrieved_set, truncated;
	char *malware_sig;
};

struct kept {
	char *path;
	int layer;
	bool visible;
	struct file_result *res;
};

struct customs_secrets {
	struct rule *rules;
	size_t n_rules;
	struct allow_rule *allows;
	size_t n_allows;
	pcre2_code *allow_paths; /* every enabled global path allow, or NULL */
	struct kwtab kw;
	struct search_pat *secret_pats;
	size_t n_secret_pats;
	struct search_pat *content_pats;
	size_t n_content_pats;
	struct kwtab search_kw; /* keywords of secret_pats */
	char **retrieve; /* without the leading '/' */
	size_t n_retrieve;
	size_t max_file;
	char *hs_cache; /* DIR/hyperscan, or NULL: no database cache */
	bool all_layers;
	bool secrets_on;
	void *malware; /* struct cl_engine *, or NULL */
	uint64_t malware_sigs;
	char *malware_db;
	struct customs_want *wants;
	struct customs_analyzer analyzer;
	const struct customs_analyzer *analyzers[1];
	pthread_mutex_t lock;
	struct scratch *pool;
	_Atomic uint64_t skipped[CUSTOMS_SKIP_N];
	struct kept *kept;
	size_t n_kept, cap_kept;
};

/* ruleset.c */
int rules_compile(pcre2_code **out, const char *id, const char *what,
		  const char *src, struct customs_ctx *ctx);
/* The same with pcre2_compile() options (PCRE2_ANCHORED: anchor at
 * compile time, never at match time, which bypasses the JIT code). */
int rules_compile_opts(pcre2_code **out, const char *id, const char *what,
		       const char *src, uint32_t options,
		       struct customs_ctx *ctx);
int rules_add_builtins(struct customs_secrets *s, struct customs_ctx *ctx);
int rules_add_allow_builtins(struct customs_secrets *s,
			     struct customs_ctx *ctx);
int rules_finalize(struct customs_secrets *s, struct customs_ctx *ctx);
void rules_release(struct customs_secrets *s);
struct rule *rules_push(struct customs_secrets *s);
struct allow_rule *allow_push(struct allow_rule **v, size_t *n);
void allow_release(struct allow_rule *a);
int rules_lookup(const struct customs_secrets *s, const char *id);

/* config.c */
int secrets_config_load(struct customs_secrets *s, const char *text, size_t len,
			const char *name, struct customs_ctx *ctx);

/* keywords.c */
/* hs_cache: the directory of cached Hyperscan databases, or NULL. */
int kwtab_build(struct kwtab *t, const struct rule *rules, size_t n,
		const char *hs_cache, struct customs_ctx *ctx);
/* A table whose "rules" are word indexes (a NULL word: always set). */
int kwtab_build_words(struct kwtab *t, const char *const *words, size_t n,
		      const char *hs_cache);
void kwtab_release(struct kwtab *t);
/* Set bit r of cand for every rule whose keyword occurs in data. */
void kwtab_scan(const struct kwtab *t, void *hs, const unsigned char *data,
		size_t len, uint64_t *cand, uint8_t *seen);

/* hsfilter.c: the same prefilter on Hyperscan, when built with it; the
 * database is read from and stored in hs_cache (when not NULL). */
int hsf_build(struct kwtab *t, const char *hs_cache);
void hsf_release(struct kwtab *t);
/* Grow owner's scratch prototype to serve other's database too. */
int hsf_share_scratch(struct kwtab *owner, struct kwtab *other);
void *hsf_scratch_new(const struct kwtab *t);
void hsf_scratch_free(void *s);
bool hsf_scan(const struct kwtab *t, void *scratch, const unsigned char *data,
	      size_t len, uint64_t *cand);

/* hscache.c: compiled Hyperscan databases cached on disk. A file is at
 * most HSC_MAX_FILE bytes; its header at most HSC_HEADER_MAX. */
#define HSC_MAX_FILE (64u << 20)
#define HSC_HEADER_MAX 192

/* What hs_compile_lit_multi() is given: the cache key covers all of it. */
struct hsc_lits {
	const char *const *exprs;
	const unsigned *flags, *ids;
	const size_t *lens;
	unsigned n, mode;
};

/* The key of l on this host and Hyperscan: 0, or -1 (no platform
 * information, no memory). Only built with Hyperscan. */
int hsc_key(unsigned char key[32], const struct hsc_lits *l);
/* The header for payload into out; its length, or 0 when len is over
 * HSC_MAX_FILE (or no memory). */
size_t hsc_header(char out[HSC_HEADER_MAX], const unsigned char key[32],
		  const unsigned char *payload, size_t len);
/* Check a whole file: magic, key, payload length and SHA-256. 0 with
 * *payload_off set, CUSTOMS_EFORMAT, or CUSTOMS_ENOMEM. */
int hsc_parse(const unsigned char *buf, size_t len, const unsigned char key[32],
	      size_t *payload_off);
/* hsc_parse() then hs_deserialize_database(): the database (an
 * hs_database_t *, the caller frees it), or NULL. */
void *hsc_decode(const unsigned char *buf, size_t len,
		 const unsigned char key[32]);
/* The database cached in dir for key, or NULL (missing, damaged,
 * unreadable: the caller compiles). */
void *hsc_load(const char *dir, const unsigned char key[32]);
/* Best effort: serialize db to dir/<key>.hsdb, creating dir (0700). */
void hsc_store(const char *dir, const unsigned char key[32], const void *db);

/* match.c */
int match_file(struct customs_secrets *s, struct scratch *sc, const char *path,
	       const unsigned char *data, size_t len, struct file_result *res);
int match_rule_text(struct customs_secrets *s, struct scratch *sc,
		    const char *text, size_t len, struct file_result *res);
int censor_line(char **out, const unsigned char *data, size_t len, size_t s0,
		size_t s1);
/* A copy of text with every secret byte replaced by '*', or *out NULL
 * when there is none (or secrets are off). */
int censor_text(char **out, struct customs_secrets *s, const char *text,
		size_t len);
void skip_count(struct customs_secrets *s, enum customs_secret_skip k);
bool path_skipped(const char *path);
/* CUSTOMS_SKIP_PATH or _ALLOWED_PATH when path is not scanned, else -1. */
int path_skip_reason(const struct customs_secrets *s, pcre2_match_data *md,
		     const char *path);

/* search.c: Anchore line searches */
int search_build(struct customs_secrets *s,
		 const struct customs_secrets_opts *opts,
		 struct customs_ctx *ctx);
int search_file(struct customs_secrets *s, struct scratch *sc,
		const unsigned char *data, size_t len, struct file_result *res);
void search_release(struct customs_secrets *s);

/* analyzer.c */
struct scratch *scratch_get(struct customs_secrets *s);
void scratch_put(struct customs_secrets *s, struct scratch *sc);
void scratch_free_all(struct customs_secrets *s);
int analyzer_setup(struct customs_secrets *s, struct customs_ctx *ctx);
void file_result_free(struct file_result *r);
void kept_release(struct customs_secrets *s);

/* report.c */
int report_build(struct customs_secrets_report *r, struct customs_secrets *s,
		 const struct customs_image_info *info,
		 const struct customs_layer_stats *stats, size_t n_stats,
		 const struct customs_fsindex *idx, struct customs_ctx *ctx);
int report_add_hits(struct customs_search_hit **v, size_t *n,
		    const struct search_pat *pats, const struct raw_hits *h,
		    size_t nh, const char *path);

/* links.c: Anchore's searches report a link's target under its path */
int links_add_hits(struct customs_secrets_report *r, struct customs_secrets *s,
		   const struct customs_fsindex *idx);
int report_config(struct customs_secrets_report *r, struct customs_secrets *s,
		  const struct customs_image_info *info,
		  struct customs_ctx *ctx);
void report_sort(struct customs_secrets_report *r);

/* malware.c */
int malware_open(struct customs_secrets *s, const char *dir,
		 struct customs_ctx *ctx);
int malware_scan(struct customs_secrets *s, const unsigned char *data,
		 size_t len, const char *path, char **sig);
void malware_close(struct customs_secrets *s);
int malware_info(const struct customs_secrets *s, char **version,
		 uint64_t *sigs);

/* base64 */
char *b64_encode(const void *data, size_t len);
/* Python's base64.encodebytes: '\n' after every 76 characters and last */
char *b64_encode_lines(const void *data, size_t len);

#endif

/*
 * The public face of the secrets module: building a scanner from options
 * (built-in rules, then the config file, then the keyword table, the
 * Anchore searches, the retrieve list and ClamAV), the rule listing, the
 * report after a scan, and the one-buffer entry point the tests and the
 * fuzzer use. A scanner is immutable during a scan except for its pool of
 * scratch, its skip counters and the results handed back on the scanning
 * thread.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/cachedir.h"
#include "util/banned.h"

const char *customs_secret_severity_name(enum customs_secret_severity s)
{
	static const char *const names[] = { "UNKNOWN", "LOW", "MEDIUM", "HIGH",
					     "CRITICAL" };

	return (unsigned)s < 5 ? names[s] : "UNKNOWN";
}

const char *customs_secret_skip_name(enum customs_secret_skip k)
{
	static const char *const names[] = {
		"binary",	"too_large",	 "too_small",	 "path",
		"allowed_path", "allowed_match", "findings_cap",
	};

	return (unsigned)k < CUSTOMS_SKIP_N ? names[k] : "?";
}

static struct customs_secrets *scanner_alloc(void)
{
	struct customs_secrets *s = customs_calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL)) {
		customs_free(s);
		return NULL;
	}
	s->max_file = CUSTOMS_SECRETS_MAX_FILE;
	s->secrets_on = true;
	return s;
}

void customs_secrets_free(struct customs_secrets *s)
{
	size_t i;

	if (!s)
		return;
	rules_release(s);
	search_release(s);
	kept_release(s);
	scratch_free_all(s);
	malware_close(s);
	for (i = 0; i < s->n_retrieve; i++)
		customs_free(s->retrieve[i]);
	customs_free(s->retrieve);
	customs_free(s->wants);
	customs_free(s->malware_db);
	customs_free(s->hs_cache);
	pthread_mutex_destroy(&s->lock);
	customs_free(s);
}

/* Read a config file, at most SECRETS_MAX_CONFIG_BYTES. */
static int read_config(char **out, size_t *len, const char *path,
		       struct customs_ctx *ctx)
{
	struct cbuf b;
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return customs_error(ctx, CUSTOMS_EIO,
				     "secrets config '%s': %m", path);
	cbuf_init(&b, SECRETS_MAX_CONFIG_BYTES);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && !cbuf_error(&b))
		cbuf_put(&b, chunk, (size_t)n);
	if (n < 0)
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "secrets config '%s': read failed", path);
	else if (cbuf_error(&b) == CUSTOMS_ELIMIT)
		rc = customs_error(ctx, CUSTOMS_ELIMIT,
				   "secrets config '%s': larger than %u bytes",
				   path, SECRETS_MAX_CONFIG_BYTES);
	else if (cbuf_error(&b))
		rc = CUSTOMS_ENOMEM;
	close(fd);
	*len = b.len;
	*out = rc ? NULL : cbuf_detach(&b);
	cbuf_release(&b);
	return rc ? rc : *out ? 0 : CUSTOMS_ENOMEM;
}

static int add_retrieve(struct customs_secrets *s, const char *p,
			struct customs_ctx *ctx)
{
	char **v;

	if (p[0] != '/' || !p[1])
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "retrieve file '%s': not an absolute path",
				     p);
	v = customs_reallocarray(s->retrieve, s->n_retrieve + 1, sizeof(*v));
	if (!v)
		return CUSTOMS_ENOMEM;
	s->retrieve = v;
	v[s->n_retrieve] = customs_strdup(p + 1);
	return v[s->n_retrieve++] ? 0 : CUSTOMS_ENOMEM;
}

static int setup_retrieve(struct customs_secrets *s,
			  const struct customs_secrets_opts *o,
			  struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	if (!o->retrieve)
		return add_retrieve(s, "/etc/passwd", ctx);
	for (i = 0; i < o->n_retrieve; i++) {
		rc = add_retrieve(s, o->retrieve[i], ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_rules(struct customs_secrets *s, const char *yaml, size_t len,
		      const char *name, struct customs_ctx *ctx)
{
	int rc = rules_add_builtins(s, ctx);

	if (!rc)
		rc = rules_add_allow_builtins(s, ctx);
	if (!rc && yaml)
		rc = secrets_config_load(s, yaml, len, name, ctx);
	if (!rc)
		rc = rules_finalize(s, ctx);
	return rc;
}

/* Where the Hyperscan databases are cached: DIR/hyperscan, or nowhere
 * (s->hs_cache NULL) when turned off, when no directory is known (no
 * HOME) or when even that string cannot be had: the cache only saves
 * time, it never fails a scanner. */
static void setup_hs_cache(struct customs_secrets *s,
			   const struct customs_secrets_opts *o)
{
	struct cbuf b = CBUF_INIT(8192);
	const char *off = getenv("CUSTOMS_NO_HS_CACHE");

	if (o->no_cache || (off && *off))
		return;
	if (!cachedir_resolve(&b, o->cache_dir) && !cbuf_puts(&b, "/hyperscan"))
		s->hs_cache = cbuf_detach(&b);
	cbuf_release(&b);
}

static int build(struct customs_secrets *s,
		 const struct customs_secrets_opts *o, struct customs_ctx *ctx)
{
	char *yaml = NULL;
	size_t len = 0;
	int rc = 0;

	s->all_layers = o->all_layers;
	s->secrets_on = o->secrets;
	setup_hs_cache(s, o);
	if (o->config_path)
		rc = read_config(&yaml, &len, o->config_path, ctx);
	if (!rc)
		rc = load_rules(s, yaml, len, o->config_path, ctx);
	customs_free(yaml);
	if (!rc)
		rc = search_build(s, o, ctx);
	if (!rc)
		rc = setup_retrieve(s, o, ctx);
	if (!rc && o->malware_db) {
		s->malware_db = customs_strdup(o->malware_db);
		rc = s->malware_db ? malware_open(s, o->malware_db, ctx)
				   : CUSTOMS_ENOMEM;
	}
	if (!rc)
		rc = analyzer_setup(s, ctx);
	return rc;
}

int customs_secrets_new(struct customs_secrets **out,
			const struct customs_secrets_opts *opts,
			struct customs_ctx *ctx)
{
	struct customs_secrets *s;
	int rc;

	*out = NULL;
	if (!opts || opts->version != CUSTOMS_SECRETS_OPTS_VERSION)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "secrets: bad options version");
	s = scanner_alloc();
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = build(s, opts, ctx);
	if (rc) {
		customs_secrets_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int customs_secrets_new_from_yaml(struct customs_secrets **out,
				  const char *yaml, size_t len,
				  const char *name, struct customs_ctx *ctx)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	struct customs_secrets *s = scanner_alloc();
	int rc;

	*out = NULL;
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = load_rules(s, yaml, len, name, ctx);
	if (!rc)
		rc = search_build(s, &o, ctx);
	if (!rc)
		rc = setup_retrieve(s, &o, ctx);
	if (!rc)
		rc = analyzer_setup(s, ctx);
	if (rc) {
		customs_secrets_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

size_t customs_secrets_rule_count(const struct customs_secrets *s)
{
	return s->n_rules;
}

void customs_secrets_rule_info(const struct customs_secrets *s, size_t i,
			       struct customs_secret_rule_info *out)
{
	const struct rule *r = &s->rules[i];

	out->id = r->id;
	out->category = r->category;
	out->title = r->title;
	out->severity = r->severity;
	out->regex = r->regex_src;
	out->keywords = r->keywords_csv ? r->keywords_csv : "";
	out->builtin = r->builtin;
	out->enabled = r->enabled;
}

const struct customs_analyzer *const *
customs_secrets_analyzers(const struct customs_secrets *s, size_t *n)
{
	*n = 1;
	return s->analyzers;
}

static void hits_release(struct customs_search_hit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		customs_free(v[i].path);
		customs_free(v[i].pattern);
		customs_free(v[i].key);
		customs_free(v[i].lines);
	}
	customs_free(v);
}

void customs_secrets_report_free(struct customs_secrets_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_findings; i++) {
		struct customs_secret_finding *f = &r->findings[i];

		customs_free(f->rule_id);
		customs_free(f->category);
		customs_free(f->title);
		customs_free(f->path);
		customs_free(f->layer_id);
		customs_free(f->created_by);
		customs_free(f->match);
	}
	customs_free(r->findings);
	hits_release(r->secret_search, r->n_secret_search);
	hits_release(r->content_search, r->n_content_search);
	for (i = 0; i < r->n_retrieved; i++) {
		customs_free(r->retrieved[i].path);
		customs_free(r->retrieved[i].data);
	}
	customs_free(r->retrieved);
	for (i = 0; i < r->n_malware; i++) {
		customs_free(r->malware[i].path);
		customs_free(r->malware[i].signature);
	}
	customs_free(r->malware);
	customs_free(r->malware_db_version);
	customs_free(r);
}

static int finish_report(struct customs_secrets_report *r,
			 struct customs_secrets *s,
			 const struct customs_image_info *info,
			 const struct customs_layer_stats *stats,
			 size_t n_stats, const struct customs_fsindex *idx,
			 struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	r->secrets_scanned = s->secrets_on;
	rc = report_build(r, s, info, stats, n_stats, idx, ctx);
	if (!rc)
		rc = report_config(r, s, info, ctx);
	for (i = 0; i < CUSTOMS_SKIP_N; i++)
		r->skipped[i] += atomic_load(&s->skipped[i]);
	r->malware_run = s->malware != NULL;
	if (!rc && s->malware)
		rc = malware_info(s, &r->malware_db_version,
				  &r->malware_signatures);
	report_sort(r);
	return rc;
}

int customs_secrets_finish(struct customs_secrets_report **out,
			   struct customs_secrets *s,
			   const struct customs_image *img,
			   const struct customs_analysis *an,
			   struct customs_ctx *ctx)
{
	struct customs_secrets_report *r = customs_calloc(1, sizeof(*r));
	const struct customs_layer_stats *stats;
	size_t n_stats = 0, i;
	int rc;

	*out = NULL;
	if (!r)
		return CUSTOMS_ENOMEM;
	stats = an ? customs_analysis_layers(an, &n_stats) : NULL;
	rc = finish_report(r, s, img ? customs_image_info(img) : NULL, stats,
			   n_stats, an ? customs_analysis_files(an) : NULL,
			   ctx);
	kept_release(s);
	for (i = 0; i < CUSTOMS_SKIP_N; i++)
		atomic_store(&s->skipped[i], 0);
	if (rc) {
		customs_secrets_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int customs_secrets_scan_buffer(struct customs_secrets_report **out,
				struct customs_secrets *s, const char *path,
				const unsigned char *data, size_t len,
				struct customs_ctx *ctx)
{
	struct customs_file f = { 0 };
	struct customs_file_event ev = { 0 };
	void *res = NULL;
	int rc;

	*out = NULL;
	f.path = path;
	f.size = len;
	f.type = CUSTOMS_FT_REG;
	f.mode = 0100644;
	ev.file = &f;
	ev.data = data;
	ev.len = len < s->analyzer.max_bytes ? len : s->analyzer.max_bytes;
	ev.truncated = len > s->analyzer.max_bytes;
	rc = s->analyzer.on_file(s, &ev, &res, ctx);
	if (!rc && res)
		rc = s->analyzer.on_result(s, path, 0, true, res, ctx);
	if (rc) {
		kept_release(s);
		return rc;
	}
	return customs_secrets_finish(out, s, NULL, NULL, ctx);
}

int customs_secrets_censor(char **out, struct customs_secrets *s,
			   const char *text, size_t len)
{
	return censor_text(out, s, text, len);
}

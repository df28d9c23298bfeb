/*
 * The secrets analyzer: one on_file per regular file of every layer, on
 * worker threads. It retrieves the configured files, applies the default
 * skips (each counted), runs the secret rules, Anchore's line searches
 * and ClamAV, and returns a result only when something was found, so a
 * clean file costs no allocation: the PCRE2 match data and prefilter bits
 * come from a pool of per-thread scratch, taken and returned under a
 * mutex held for two pointer moves.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define OVECTOR_PAIRS 64

static struct scratch *scratch_new(const struct customs_secrets *s)
{
	struct scratch *sc = customs_calloc(1, sizeof(*sc));
	size_t words = (s->n_rules + 63) / 64 + 1;

	if (!sc)
		return NULL;
	sc->md = pcre2_match_data_create(OVECTOR_PAIRS, NULL);
	sc->cand = customs_calloc(words, sizeof(*sc->cand));
	sc->kw_seen = customs_calloc(s->kw.n + 1, 1);
	sc->hs = hsf_scratch_new(&s->kw);
	if (!sc->md || !sc->cand || !sc->kw_seen) {
		hsf_scratch_free(sc->hs);
		pcre2_match_data_free(sc->md);
		customs_free(sc->cand);
		customs_free(sc->kw_seen);
		customs_free(sc);
		return NULL;
	}
	return sc;
}

struct scratch *scratch_get(struct customs_secrets *s)
{
	struct scratch *sc;

	pthread_mutex_lock(&s->lock);
	sc = s->pool;
	if (sc)
		s->pool = sc->next;
	pthread_mutex_unlock(&s->lock);
	return sc ? sc : scratch_new(s);
}

void scratch_put(struct customs_secrets *s, struct scratch *sc)
{
	pthread_mutex_lock(&s->lock);
	sc->next = s->pool;
	s->pool = sc;
	pthread_mutex_unlock(&s->lock);
}

void scratch_free_all(struct customs_secrets *s)
{
	struct scratch *sc;

	while ((sc = s->pool)) {
		s->pool = sc->next;
		pcre2_match_data_free(sc->md);
		hsf_scratch_free(sc->hs);
		customs_free(sc->cand);
		customs_free(sc->kw_seen);
		customs_free(sc);
	}
}

static void hits_free(struct raw_hits *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		customs_free(h[i].lines);
	customs_free(h);
}

static void file_result_release(struct file_result *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		customs_free(r->findings[i].match);
	customs_free(r->findings);
	hits_free(r->secret_hits, r->n_secret_hits);
	hits_free(r->content_hits, r->n_content_hits);
	customs_free(r->retrieved);
	customs_free(r->malware_sig);
}

void file_result_free(struct file_result *r)
{
	if (!r)
		return;
	file_result_release(r);
	customs_free(r);
}

static bool wants_retrieve(const struct customs_secrets *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n_retrieve; i++) {
		if (!strcmp(s->retrieve[i], path))
			return true;
	}
	return false;
}

static int retrieve(struct file_result *res,
		    const struct customs_file_event *ev)
{
	size_t n =
		ev->len < CUSTOMS_RETRIEVE_MAX ? ev->len : CUSTOMS_RETRIEVE_MAX;

	res->retrieved = customs_malloc(n + 1);
	if (!res->retrieved)
		return CUSTOMS_ENOMEM;
	memcpy(res->retrieved, ev->data, n);
	res->retrieved_len = n;
	res->retrieved_set = true;
	res->size = ev->file->size;
	res->truncated = ev->file->size > n;
	return 0;
}

static int scan_secrets(struct customs_secrets *s, struct scratch *sc,
			const struct customs_file_event *ev,
			struct file_result *res)
{
	size_t sniff =
		ev->len < SECRETS_SNIFF_BYTES ? ev->len : SECRETS_SNIFF_BYTES;
	int why = path_skip_reason(s, sc->md, ev->file->path);

	/* the path first: file_cap read no content for these */
	if (why >= 0) {
		skip_count(s, (enum customs_secret_skip)why);
		return 0;
	}
	if (ev->file->size < SECRETS_MIN_FILE) {
		skip_count(s, CUSTOMS_SKIP_TOO_SMALL);
		return 0;
	}
	if (ev->truncated || ev->file->size > s->max_file) {
		skip_count(s, CUSTOMS_SKIP_TOO_LARGE);
		return 0;
	}
	if (memchr(ev->data, 0, sniff)) {
		skip_count(s, CUSTOMS_SKIP_BINARY);
		return 0;
	}
	return match_file(s, sc, ev->file->path, ev->data, ev->len, res);
}

static int scan_one(struct customs_secrets *s, struct scratch *sc,
		    const struct customs_file_event *ev,
		    struct file_result *res)
{
	int rc = 0;

	if (wants_retrieve(s, ev->file->path))
		rc = retrieve(res, ev);
	if (!rc && s->secrets_on)
		rc = scan_secrets(s, sc, ev, res);
	if (!rc && !ev->truncated && ev->file->size == ev->len)
		rc = search_file(s, sc, ev->data, ev->len, res);
	if (!rc && s->malware && !ev->truncated)
		rc = malware_scan(s, ev->data, ev->len, ev->file->path,
				  &res->malware_sig);
	return rc;
}

static bool found(const struct file_result *r)
{
	return r->n_findings || r->n_secret_hits || r->n_content_hits ||
	       r->retrieved_set || r->malware_sig;
}

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	struct customs_secrets *s = state;
	struct file_result res = { 0 };
	struct scratch *sc = scratch_get(s);
	int rc;

	(void)ctx;
	if (!sc)
		return CUSTOMS_ENOMEM;
	rc = scan_one(s, sc, ev, &res);
	scratch_put(s, sc);
	if (!rc && found(&res)) {
		struct file_result *heap = customs_malloc(sizeof(*heap));

		if (heap) {
			*heap = res;
			*result = heap;
			return 0;
		}
		rc = CUSTOMS_ENOMEM;
	}
	file_result_release(&res);
	return rc;
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	struct customs_secrets *s = state;
	struct kept *k;

	(void)ctx;
	if (CUSTOMS_GROW(s->kept, s->cap_kept, s->n_kept + 1))
		goto fail;
	k = &s->kept[s->n_kept];
	k->path = customs_strdup(path);
	if (!k->path)
		goto fail;
	k->layer = layer;
	k->visible = visible;
	k->res = result;
	s->n_kept++;
	return 0;
fail:
	file_result_free(result);
	return CUSTOMS_ENOMEM;
}

static void free_result(void *state, void *result)
{
	(void)state;
	file_result_free(result);
}

void kept_release(struct customs_secrets *s)
{
	size_t i;

	for (i = 0; i < s->n_kept; i++) {
		customs_free(s->kept[i].path);
		file_result_free(s->kept[i].res);
	}
	customs_free(s->kept);
	s->kept = NULL;
	s->n_kept = s->cap_kept = 0;
}

static size_t content_cap(const struct customs_secrets *s)
{
	size_t cap = s->max_file;

	if (cap < CUSTOMS_RETRIEVE_MAX)
		cap = CUSTOMS_RETRIEVE_MAX;
	if (cap < CUSTOMS_ANCHORE_SEARCH_MAX)
		cap = CUSTOMS_ANCHORE_SEARCH_MAX;
	return cap;
}

/* Read in full only what will be scanned: a file the secret rules skip by
 * path needs at most the Anchore searches' 10000 bytes, and only when it
 * is that small. Most bytes of an image (usr/lib, node_modules) are then
 * never copied. */
static size_t file_cap(void *state, const char *path, uint64_t size)
{
	struct customs_secrets *s = state;
	struct scratch *sc;
	int why;

	if (s->malware || wants_retrieve(s, path))
		return s->analyzer.max_bytes;
	if (s->secrets_on) {
		sc = scratch_get(s);
		if (!sc)
			return s->analyzer.max_bytes; /* on_file reports it */
		why = path_skip_reason(s, sc->md, path);
		scratch_put(s, sc);
		if (why < 0)
			return s->analyzer.max_bytes;
	}
	if ((s->n_secret_pats || s->n_content_pats) &&
	    size <= CUSTOMS_ANCHORE_SEARCH_MAX)
		return CUSTOMS_ANCHORE_SEARCH_MAX;
	return 0;
}

int analyzer_setup(struct customs_secrets *s, struct customs_ctx *ctx)
{
	size_t i, n = 0;
	bool all = s->secrets_on || s->n_content_pats || s->malware;

	(void)ctx;
	s->wants = customs_calloc(s->n_retrieve + 1, sizeof(*s->wants));
	if (!s->wants)
		return CUSTOMS_ENOMEM;
	if (all)
		s->wants[n++].kind = CUSTOMS_WANT_ALL;
	for (i = 0; !all && i < s->n_retrieve; i++) {
		s->wants[n].kind = CUSTOMS_WANT_PATH;
		s->wants[n++].value = s->retrieve[i];
	}
	s->analyzer.version = CUSTOMS_ANALYZER_VERSION;
	s->analyzer.name = "secrets";
	s->analyzer.wants = s->wants;
	s->analyzer.n_wants = n;
	s->analyzer.max_bytes = content_cap(s);
	s->analyzer.state = s;
	s->analyzer.on_file = on_file;
	s->analyzer.on_result = on_result;
	s->analyzer.free_result = free_result;
	s->analyzer.file_cap = file_cap;
	s->analyzers[0] = &s->analyzer;
	return 0;
}

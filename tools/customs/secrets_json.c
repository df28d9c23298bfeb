/*
 * The secrets part of the JSON documents (`customs inspect -o json` and
 * `customs secrets -o json`): the keys "secrets", "secret_search",
 * "content_search", "retrieved_files" and "malware", in the shapes
 * docs/inspect-json.md documents and the policy gates read.
 */
#include <stdlib.h>
#include <string.h>

#include "secrets_cli.h"
#include "util/banned.h"

static void b64_str(struct jsonw *w, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1);
	size_t i, o = 0;

	if (!out) {
		jsonw_null(w);
		return;
	}
	for (i = 0; i + 2 < n; i += 3) {
		out[o++] = tab[p[i] >> 2];
		out[o++] = tab[(p[i] & 3) << 4 | p[i + 1] >> 4];
		out[o++] = tab[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		out[o++] = tab[p[i + 2] & 63];
	}
	if (i < n) {
		out[o++] = tab[p[i] >> 2];
		out[o++] =
			tab[(p[i] & 3) << 4 | (i + 1 < n ? p[i + 1] >> 4 : 0)];
		out[o++] = i + 1 < n ? tab[(p[i + 1] & 15) << 2] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	jsonw_str(w, out);
	free(out);
}

static void layer_num(struct jsonw *w, const char *key, int layer)
{
	jsonw_key(w, key);
	if (layer < 0)
		jsonw_null(w);
	else
		jsonw_u64(w, (uint64_t)layer);
}

static void finding(struct jsonw *w, const struct customs_secret_finding *f)
{
	jsonw_obj_open(w);
	jsonw_kstr(w, "rule_id", f->rule_id);
	jsonw_kstr(w, "category", f->category);
	jsonw_kstr(w, "severity", customs_secret_severity_name(f->severity));
	jsonw_kstr(w, "title", f->title);
	jsonw_kstr(w, "path", f->path);
	jsonw_ku64(w, "line", f->line);
	layer_num(w, "layer", f->layer);
	jsonw_kstr(w, "layer_id", f->layer_id);
	jsonw_kstr(w, "created_by", f->created_by);
	jsonw_kstr(w, "match", f->match);
	jsonw_obj_close(w);
}

static void secrets_obj(struct jsonw *w, const struct customs_secrets_report *r)
{
	size_t i;

	jsonw_key(w, "secrets");
	jsonw_obj_open(w);
	jsonw_kbool(w, "scanned", r->secrets_scanned);
	jsonw_key(w, "findings");
	jsonw_arr_open(w);
	for (i = 0; i < r->n_findings; i++)
		finding(w, &r->findings[i]);
	jsonw_arr_close(w);
	jsonw_key(w, "skipped");
	jsonw_obj_open(w);
	for (i = 0; r->secrets_scanned && i < CUSTOMS_SKIP_N; i++)
		jsonw_ku64(w, customs_secret_skip_name(i), r->skipped[i]);
	jsonw_obj_close(w);
	jsonw_obj_close(w);
}

/* {"/path": {"<b64>": [lines]}}: hits are sorted by path then key. */
static void search_obj(struct jsonw *w, const char *key,
		       const struct customs_search_hit *h, size_t n)
{
	size_t i, j;

	jsonw_key(w, key);
	jsonw_obj_open(w);
	for (i = 0; i < n; i++) {
		if (!i || strcmp(h[i].path, h[i - 1].path)) {
			if (i)
				jsonw_obj_close(w);
			jsonw_key(w, h[i].path);
			jsonw_obj_open(w);
		}
		jsonw_key(w, h[i].key);
		jsonw_arr_open(w);
		for (j = 0; j < h[i].n_lines; j++)
			jsonw_u64(w, h[i].lines[j]);
		jsonw_arr_close(w);
	}
	if (n)
		jsonw_obj_close(w);
	jsonw_obj_close(w);
}

static void retrieved_obj(struct jsonw *w,
			  const struct customs_secrets_report *r)
{
	size_t i;

	jsonw_key(w, "retrieved_files");
	jsonw_obj_open(w);
	for (i = 0; i < r->n_retrieved; i++) {
		const struct customs_retrieved_file *f = &r->retrieved[i];

		jsonw_key(w, f->path);
		jsonw_obj_open(w);
		jsonw_ku64(w, "size", f->size);
		jsonw_kbool(w, "truncated", f->truncated);
		layer_num(w, "layer", f->layer);
		jsonw_key(w, "content_b64");
		b64_str(w, f->data, f->len);
		jsonw_obj_close(w);
	}
	jsonw_obj_close(w);
}

static void malware_obj(struct jsonw *w, const struct customs_secrets_report *r)
{
	size_t i;

	jsonw_key(w, "malware");
	if (!r->malware_run) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	jsonw_kstr(w, "scanner", "clamav");
	jsonw_kbool(w, "enabled", true);
	jsonw_key(w, "findings");
	jsonw_arr_open(w);
	for (i = 0; i < r->n_malware; i++) {
		jsonw_obj_open(w);
		jsonw_kstr(w, "path", r->malware[i].path);
		jsonw_kstr(w, "signature", r->malware[i].signature);
		layer_num(w, "layer", r->malware[i].layer);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_key(w, "metadata");
	jsonw_obj_open(w);
	jsonw_kstr(w, "db_version", r->malware_db_version);
	jsonw_ku64(w, "signatures", r->malware_signatures);
	jsonw_obj_close(w);
	jsonw_obj_close(w);
}

void secrets_write_json_keys(struct jsonw *w,
			     const struct customs_secrets_report *r)
{
	secrets_obj(w, r);
	search_obj(w, "secret_search", r->secret_search, r->n_secret_search);
	search_obj(w, "content_search", r->content_search, r->n_content_search);
	retrieved_obj(w, r);
	malware_obj(w, r);
}

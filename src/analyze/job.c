/*
 * One layer job: decode a blob, keep every entry (compactly, in the job's
 * arena) and hand wanted content to the analyzers. Jobs run on worker
 * threads and share nothing but the atomic image counters, so layers
 * decode in parallel without locks.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analyze/scan_int.h"
#include "image/image_int.h"
#include "util/alloc.h"
#include "util/banned.h"

static size_t content_cap(void *data, const struct layer_entry *e)
{
	struct layer_job *job = data;
	size_t cap;

	job->pl.active = false;
	job->mask = job->scan->n_an && e->kind == LAYER_ENTRY_FILE &&
				    e->type == CUSTOMS_FT_REG
			    ? wants_match(&job->scan->wants, e->path, e->mode)
			    : 0;
	if (!job->mask)
		return 0;
	cap = wants_file_cap(&job->scan->wants, job->scan->an, job->mask,
			     e->path, e->size);
	/* out of memory for the head: capture as usual, which reports it */
	if (planned_eligible(job, e->size, cap) && !planned_begin(job, e, cap))
		return LAYER_CAP_STREAM;
	return cap;
}

static int store_entry(struct layer_job *job, const struct layer_entry *e)
{
	struct stored_entry *s;
	struct customs_file *f;

	if (CUSTOMS_GROW(job->entries, job->cap_entries, job->n_entries + 1))
		return CUSTOMS_ENOMEM;
	s = &job->entries[job->n_entries];
	f = &s->f;
	memset(s, 0, sizeof(*s));
	f->path = arena_strdup(&job->arena, e->path);
	f->link = e->link ? arena_strdup(&job->arena, e->link) : NULL;
	if (!f->path || (e->link && !f->link))
		return CUSTOMS_ENOMEM;
	f->size = e->size;
	f->mode = e->mode;
	f->uid = e->uid;
	f->gid = e->gid;
	f->layer = (int)job->index;
	f->type = e->type;
	f->has_sha256 = e->has_sha256;
	memcpy(f->sha256, e->sha256, sizeof(f->sha256));
	f->has_md5 = e->has_md5;
	memcpy(f->md5, e->md5, sizeof(f->md5));
	s->kind = (uint8_t)e->kind;
	job->n_entries++;
	return 0;
}

static int store_result(struct layer_job *job, const char *path, size_t i,
			void *result)
{
	struct stored_result *r;

	if (CUSTOMS_GROW(job->results, job->cap_results, job->n_results + 1)) {
		job->scan->an[i]->free_result(job->scan->an[i]->state, result);
		return CUSTOMS_ENOMEM;
	}
	r = &job->results[job->n_results];
	/* a copy: the layer's arena goes once the layer is squashed */
	r->path = customs_strdup(path);
	if (!r->path) {
		job->scan->an[i]->free_result(job->scan->an[i]->state, result);
		return CUSTOMS_ENOMEM;
	}
	job->n_results++;
	r->analyzer = i;
	r->result = result;
	return 0;
}

static int dispatch(struct layer_job *job, const struct customs_file *f,
		    const unsigned char *content, size_t len, bool truncated,
		    struct customs_ctx *ctx)
{
	struct customs_file_event ev = { f,   (int)job->index, content,
					 len, truncated,       NULL,
					 0 };
	struct customs_range view[PLANNED_MAX];
	size_t i;
	int rc;

	for (i = 0; i < job->scan->n_an; i++) {
		const struct customs_analyzer *an = job->scan->an[i];
		void *result = NULL;

		if (!(job->mask >> i & 1))
			continue;
		if (job->pl.active) {
			ev.data = job->pl.buf;
			ev.n_ranges = planned_view(&job->pl, an->max_bytes,
						   view, &ev.len);
			ev.ranges = view;
			ev.truncated = job->pl.size > an->max_bytes;
		} else {
			ev.len = len < an->max_bytes ? len : an->max_bytes;
			ev.truncated = truncated || len > an->max_bytes;
		}
		rc = an->on_file(an->state, &ev, &result, ctx);
		if (rc && !customs_ctx_errcode(ctx))
			/* a bare code (ENOMEM): record it, or it is lost */
			customs_error(ctx, rc, "%s", customs_strerror(rc));
		if (rc)
			return customs_error_prefix(
				ctx, "%s: '%s': analyzer %s", job->label,
				f->path, an->name);
		if (result && (rc = store_result(job, f->path, i, result)))
			return rc;
	}
	return 0;
}

static int on_entry(void *data, const struct layer_entry *e,
		    const unsigned char *content, size_t len, bool truncated,
		    struct customs_ctx *ctx)
{
	struct layer_job *job = data;
	int rc = store_entry(job, e);

	if (rc)
		return rc;
	job->stats.entries++;
	if (e->kind != LAYER_ENTRY_FILE)
		job->stats.whiteouts++;
	else if (e->type == CUSTOMS_FT_REG)
		job->stats.files++;
	if (job->pl.active)
		rc = planned_finish(job);
	if (!rc && e->kind == LAYER_ENTRY_FILE && e->type == CUSTOMS_FT_REG &&
	    job->mask)
		rc = dispatch(job, &job->entries[job->n_entries - 1].f, content,
			      len, truncated, ctx);
	job->mask = 0;
	if (job->pl.active)
		planned_end(&job->pl);
	return rc;
}

void job_ops(struct layer_job *job, struct layer_walk_ops *ops)
{
	ops->content_cap = content_cap;
	ops->on_data = planned_data;
	ops->on_entry = on_entry;
	ops->data = job;
}

/*
 * The compression of the layer's blob. A registry layer read from the
 * cache's uncompressed copy was compressed as its media type says (the
 * blob itself was checked by magic bytes when it was downloaded).
 */
static const char *blob_compression(const struct customs_layer_info *li,
				    const struct customs_blob *blob,
				    const struct layer_stream *s)
{
	const char *mt = li->media_type;
	size_t n = mt ? strlen(mt) : 0;

	if (!blob->diff_only)
		return layer_compression_name(layer_stream_compression(s));
	if (n >= 4 && !strcmp(mt + n - 4, "gzip"))
		return "gzip";
	if (n >= 4 && !strcmp(mt + n - 4, "zstd"))
		return "zstd";
	return "none";
}

static int decode(struct layer_job *job, const struct customs_blob *blob,
		  bool *tee_ok)
{
	const struct customs_layer_info *li =
		&job->scan->info->layers[job->index];
	struct layer_stream_opts so = { 0 };
	struct layer_walk_opts wo = { 0 };
	struct layer_walk_ops ops;
	struct layer_stream *s = NULL;
	char diff[72];
	int rc;

	so.label = job->label;
	so.digest = job->scan->opts.verify ? li->digest : NULL;
	so.diff_id = job->scan->opts.verify ? li->diff_id : NULL;
	if (blob->pulled) { /* from the network or its cache: always */
		so.digest = blob->diff_only ? NULL : li->digest;
		so.diff_id = li->diff_id;
	}
	so.max_bytes = job->scan->lim.max_layer_bytes;
	so.image_bytes = (uint64_t *)&job->scan->image_bytes;
	so.max_image_bytes = job->scan->lim.max_image_bytes;
	wo.label = job->label;
	wo.hash_files = job->scan->opts.hash_files;
	wo.hash_md5 = job->scan->opts.hash_files && job->scan->opts.hash_md5;
	wo.max_path_len = job->scan->lim.max_path_len;
	wo.image_entries = (uint64_t *)&job->scan->image_entries;
	wo.max_entries = job->scan->lim.max_entries;
	job_ops(job, &ops);
	rc = layer_stream_new(&s, blob, &so, &job->ctx);
	if (!rc)
		rc = layer_walk(s, &wo, &ops, &job->ctx);
	if (!rc)
		rc = layer_stream_finish(s, &job->ctx);
	*tee_ok = !rc && layer_stream_tee_ok(s); /* decoder joined */
	if (!rc) {
		job->stats.bytes = layer_stream_bytes(s);
		job->stats.compression =
			customs_strdup(blob_compression(li, blob, s));
		layer_stream_diff_id(s, diff);
		job->stats.diff_id = customs_strdup(diff);
		if (!job->stats.compression || !job->stats.diff_id)
			rc = CUSTOMS_ENOMEM;
	}
	layer_stream_free(s);
	return rc;
}

/* A little-endian 32-bit value read at off in b, or 0. */
static uint32_t peek_le32(const struct customs_blob *b, uint64_t off)
{
	unsigned char v[4];

	if (off + 4 > b->len || pread(b->fd, v, 4, (off_t)(b->off + off)) != 4)
		return 0;
	return (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 |
	       (uint32_t)v[3] << 24;
}

uint64_t job_estimate(const struct scan *sc, size_t i)
{
	struct customs_ctx scratch = { 0 };
	struct customs_blob blob = { 0 };
	uint64_t c = sc->info->layers[i].size, u = 3 * c;
	uint32_t head;

	/* still downloading: judge by the manifest's size; an error here
	 * is the job's to report, with its own context */
	if (!customs_image_layer_ready(sc->img, i))
		return c + 2 * u;
	if (customs_image_layer_blob(sc->img, i, &blob, &scratch))
		return c;
	c = blob.len;
	head = peek_le32(&blob, 0);
	if ((head & 0xffff) == 0x8b1f) {
		/* gzip's last member ends with its size mod 2^32: exact
		 * for one member under 4 GiB, and only a guess otherwise */
		u = peek_le32(&blob, c - 4);
		if (u < c)
			u = 3 * c;
	} else if (head != 0xfd2fb528) {
		u = c; /* uncompressed */
	}
	customs_blob_close(&blob);
	return c + 2 * u;
}

void job_run_layer(struct layer_job *job)
{
	const struct customs_layer_info *li =
		&job->scan->info->layers[job->index];
	struct customs_blob blob = { 0 };
	bool tee_ok = false;
	int rc;

	snprintf(job->label, sizeof(job->label), "layer %zu (%s)", job->index,
		 li->digest    ? li->digest
		 : li->diff_id ? li->diff_id
			       : "?");
	rc = customs_image_layer_blob(job->scan->img, job->index, &blob,
				      &job->ctx);
	if (!rc)
		rc = decode(job, &blob, &tee_ok);
	customs_blob_close(&blob);
	if (blob.pulled) /* commit to the registry cache, or explain */
		rc = customs_image_layer_done(job->scan->img, job->index, rc,
					      tee_ok, &job->ctx);
	if (rc && !job->ctx.code)
		customs_error(&job->ctx, rc, "%s: %s", job->label,
			      customs_strerror(rc));
	job->rc = rc;
}

void job_release(struct layer_job *job)
{
	size_t i;

	for (i = 0; i < job->n_results; i++) {
		const struct customs_analyzer *an =
			job->scan->an[job->results[i].analyzer];

		if (job->results[i].result)
			an->free_result(an->state, job->results[i].result);
		customs_free((char *)job->results[i].path);
	}
	customs_free(job->results);
	customs_free(job->entries);
	planned_release(&job->pl);
	arena_release(&job->arena);
	customs_free(job->stats.compression);
	customs_free(job->stats.diff_id);
	memset(job, 0, sizeof(*job));
}

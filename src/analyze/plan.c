/*
 * Planned capture: a large file that only planning analyzers want (the
 * build-info catalogers want every executable) is not held whole. Its
 * first CUSTOMS_PLAN_HEAD bytes are gathered as the tar stream passes,
 * each analyzer's plan() says from them what else it needs (nothing, the
 * whole file, or byte ranges), and from then on only bytes inside the
 * union of those ranges are copied, each to its place in one buffer
 * sized for exactly the kept bytes. The stream is read once: no second
 * pass, no temporary file.
 *
 * Invariants: r[] is sorted, disjoint and non-adjacent (merged), inside
 * [0, min(size, cap)), and r[0] starts at 0 and covers the head, so the
 * head gathered first is already in place at buf[0]; mem[i] is where
 * r[i] starts in buf; ranges before r[at] are filled. An analyzer whose
 * plan asks for nothing loses its bit in job->mask and is not offered
 * the file.
 */
#include <string.h>

#include "analyze/scan_int.h"
#include "util/alloc.h"
#include "util/banned.h"

/* A buffer larger than this is freed after its file, not kept for the
 * next one: a large executable must not pin memory for the whole layer. */
#define PLANNED_KEEP ((size_t)1 << 20)

bool planned_eligible(const struct layer_job *job, uint64_t size, size_t cap)
{
	size_t i;

	if (size <= CUSTOMS_PLAN_HEAD || cap <= CUSTOMS_PLAN_HEAD)
		return false;
	for (i = 0; i < job->scan->n_an; i++) {
		if ((job->mask >> i & 1) && !job->scan->an[i]->plan)
			return false;
	}
	return true;
}

static int ensure(struct planned *pl, size_t n)
{
	unsigned char *b;

	if (n <= pl->bufcap)
		return 0;
	b = customs_realloc(pl->buf, n);
	if (!b)
		return CUSTOMS_ENOMEM;
	pl->buf = b;
	pl->bufcap = n;
	return 0;
}

int planned_begin(struct layer_job *job, const struct layer_entry *e,
		  size_t cap)
{
	struct planned *pl = &job->pl;
	size_t n = strlen(e->path) + 1;

	if (ensure(pl, CUSTOMS_PLAN_HEAD) ||
	    CUSTOMS_GROW(pl->pathbuf, pl->pathcap, n))
		return CUSTOMS_ENOMEM;
	memcpy(pl->pathbuf, e->path, n);
	memset(&pl->file, 0, sizeof(pl->file));
	pl->file.path = pl->pathbuf;
	pl->file.size = e->size;
	pl->file.mode = e->mode;
	pl->file.uid = e->uid;
	pl->file.gid = e->gid;
	pl->file.layer = (int)job->index;
	pl->file.type = e->type;
	pl->active = true;
	pl->decided = false;
	pl->size = e->size;
	pl->pos = 0;
	pl->cap = cap;
	pl->len = 0;
	pl->n = 0;
	pl->at = 0;
	return 0;
}

/* Add [off, off + len) to r[], merging what it touches. False when the
 * table is full. */
static bool add_range(struct planned *pl, uint64_t off, uint64_t len)
{
	uint64_t end;
	size_t i, j;

	if (off >= pl->size || !len)
		return true;
	end = len < pl->size - off ? off + len : pl->size;
	for (i = 0; i < pl->n && pl->r[i].off + pl->r[i].len < off; i++)
		;
	for (j = i; j < pl->n && pl->r[j].off <= end; j++) {
		if (pl->r[j].off < off)
			off = pl->r[j].off;
		if (pl->r[j].off + pl->r[j].len > end)
			end = pl->r[j].off + pl->r[j].len;
	}
	if (j == i) {
		if (pl->n == PLANNED_MAX)
			return false;
		memmove(&pl->r[i + 1], &pl->r[i],
			(pl->n - i) * sizeof(pl->r[0]));
		pl->n++;
	} else {
		memmove(&pl->r[i + 1], &pl->r[j],
			(pl->n - j) * sizeof(pl->r[0]));
		pl->n -= j - i - 1;
	}
	pl->r[i].off = off;
	pl->r[i].len = end - off;
	return true;
}

/* Cut r[] at file offset lim and lay the ranges out in buf. */
static void clip_ranges(struct planned *pl, uint64_t lim)
{
	size_t i, mem = 0;

	for (i = 0; i < pl->n && pl->r[i].off < lim; i++) {
		if (pl->r[i].len > lim - pl->r[i].off)
			pl->r[i].len = lim - pl->r[i].off;
		pl->mem[i] = mem;
		mem += (size_t)pl->r[i].len;
	}
	pl->n = i;
	pl->len = mem;
}

static int plan_error(struct layer_job *job, const struct customs_analyzer *an,
		      int rc)
{
	if (!customs_ctx_errcode(&job->ctx))
		customs_error(&job->ctx, rc, "%s", customs_strerror(rc));
	return customs_error_prefix(&job->ctx, "%s: '%s': analyzer %s (plan)",
				    job->label, job->pl.file.path, an->name);
}

/* Ask each analyzer, then fix r[] from their answers. */
static int decide(struct layer_job *job)
{
	struct planned *pl = &job->pl;
	struct customs_file_event ev = { &pl->file, (int)job->index, pl->buf,
					 pl->len,   false,	     NULL,
					 0 };
	bool whole = false;
	size_t i, k;
	int rc;

	pl->decided = true;
	pl->n = 0;
	add_range(pl, 0, pl->len);
	for (i = 0; i < job->scan->n_an; i++) {
		const struct customs_analyzer *an = job->scan->an[i];
		struct customs_plan plan;

		if (!(job->mask >> i & 1))
			continue;
		memset(&plan, 0, sizeof(plan));
		rc = an->plan(an->state, &ev, &plan);
		if (rc)
			return plan_error(job, an, rc);
		if (!plan.whole && !plan.n)
			job->mask &= ~(1ULL << i);
		whole |= plan.whole;
		for (k = 0; k < plan.n && k < CUSTOMS_PLAN_MAX; k++)
			whole |= !add_range(pl, plan.r[k].off, plan.r[k].len);
	}
	if (whole) {
		pl->n = 0;
		add_range(pl, 0, pl->size);
	}
	clip_ranges(pl, job->mask ? pl->cap : 0);
	return ensure(pl, pl->len);
}

/* Copy the bytes at [pos, pos + n) that fall in the ranges. */
static void keep(struct planned *pl, const unsigned char *p, size_t n)
{
	uint64_t start = pl->pos, end = pl->pos + n;

	while (pl->at < pl->n) {
		const struct customs_range *r = &pl->r[pl->at];
		uint64_t rend = r->off + r->len, lo, hi;

		if (rend <= start) {
			pl->at++;
			continue;
		}
		if (r->off >= end)
			break;
		lo = r->off > start ? r->off : start;
		hi = rend < end ? rend : end;
		memcpy(pl->buf + pl->mem[pl->at] + (lo - r->off),
		       p + (lo - start), (size_t)(hi - lo));
		if (hi < rend)
			break;
		pl->at++;
	}
	pl->pos = end;
}

int planned_data(void *data, const unsigned char *p, size_t n)
{
	struct layer_job *job = data;
	struct planned *pl = &job->pl;
	int rc;

	while (n && !pl->decided) {
		size_t take = CUSTOMS_PLAN_HEAD - pl->len;

		if (take > n)
			take = n;
		memcpy(pl->buf + pl->len, p, take);
		pl->len += take;
		pl->pos += take;
		p += take;
		n -= take;
		if (pl->len == CUSTOMS_PLAN_HEAD && (rc = decide(job)))
			return rc;
	}
	if (n)
		keep(pl, p, n);
	return 0;
}

int planned_finish(struct layer_job *job)
{
	struct planned *pl = &job->pl;
	int rc;

	/* a file that ended early (it shrank while a rootfs was read) is
	 * planned from what there is, and keeps only bytes that came */
	if (!pl->decided && (rc = decide(job)))
		return rc;
	clip_ranges(pl, pl->pos);
	return 0;
}

size_t planned_view(const struct planned *pl, size_t max_bytes,
		    struct customs_range *out, size_t *len)
{
	size_t i;

	*len = 0;
	for (i = 0; i < pl->n && pl->r[i].off < max_bytes; i++) {
		out[i] = pl->r[i];
		if (out[i].len > max_bytes - out[i].off)
			out[i].len = max_bytes - out[i].off;
		*len += (size_t)out[i].len;
	}
	return i;
}

void planned_end(struct planned *pl)
{
	pl->active = false;
	if (pl->bufcap > PLANNED_KEEP) {
		customs_free(pl->buf);
		pl->buf = NULL;
		pl->bufcap = 0;
	}
}

void planned_release(struct planned *pl)
{
	customs_free(pl->buf);
	customs_free(pl->pathbuf);
	memset(pl, 0, sizeof(*pl));
}

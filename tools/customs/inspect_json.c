/*
 * `customs inspect -o json`: the documented, stable document
 * (docs/inspect-json.md). Streamed, so --files on a million-file image
 * costs no memory. Keys never disappear: absent values are null.
 */
#include <stdio.h>
#include <string.h>

#include "inspect.h"
#include "jsonw.h"
#include "secrets_cli.h"
#include "util/banned.h"

static void strlist(struct jsonw *w, const char *key,
		    const struct customs_strlist *l, bool null_if_empty)
{
	size_t i;

	jsonw_key(w, key);
	if (null_if_empty && !l->n) {
		jsonw_null(w);
		return;
	}
	jsonw_arr_open(w);
	for (i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_close(w);
}

static void image_obj(struct jsonw *w, const struct inspect_data *d)
{
	const struct customs_image_info *in = d->info;

	jsonw_key(w, "image");
	jsonw_obj_open(w);
	jsonw_kstr(w, "id", in->id);
	jsonw_kstr(w, "manifest_digest", in->manifest_digest);
	jsonw_kstr(w, "index_digest", in->index_digest);
	strlist(w, "repo_tags", &in->repo_tags, false);
	jsonw_kstr(w, "os", in->os);
	jsonw_kstr(w, "architecture", in->architecture);
	jsonw_kstr(w, "variant", in->variant);
	jsonw_kstr(w, "created", in->created);
	jsonw_kstr(w, "author", in->author);
	jsonw_ku64(w, "size", in->total_size);
	jsonw_ku64(w, "layer_count", in->n_layers);
	strlist(w, "platforms", &in->platforms, false);
	jsonw_obj_close(w);
}

static void healthcheck(struct jsonw *w, const struct customs_healthcheck *h)
{
	jsonw_key(w, "healthcheck");
	if (!h->present) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	strlist(w, "test", &h->test, false);
	jsonw_key(w, "interval");
	jsonw_i64(w, h->interval);
	jsonw_key(w, "timeout");
	jsonw_i64(w, h->timeout);
	jsonw_key(w, "start_period");
	jsonw_i64(w, h->start_period);
	jsonw_key(w, "retries");
	jsonw_i64(w, h->retries);
	jsonw_obj_close(w);
}

static void config_obj(struct jsonw *w, const struct customs_image_info *in)
{
	size_t i;

	jsonw_key(w, "config");
	jsonw_obj_open(w);
	jsonw_kstr(w, "user", in->user);
	jsonw_kstr(w, "working_dir", in->working_dir);
	strlist(w, "env", &in->env, false);
	strlist(w, "entrypoint", &in->entrypoint, true);
	strlist(w, "cmd", &in->cmd, true);
	strlist(w, "exposed_ports", &in->exposed_ports, false);
	strlist(w, "volumes", &in->volumes, false);
	jsonw_key(w, "labels");
	jsonw_obj_open(w);
	for (i = 0; i < in->labels.n; i++)
		jsonw_kstr(w, in->labels.keys[i], in->labels.values[i]);
	jsonw_obj_close(w);
	healthcheck(w, &in->healthcheck);
	jsonw_kstr(w, "stop_signal", in->stop_signal);
	strlist(w, "shell", &in->shell, true);
	jsonw_obj_close(w);
}

static void history_arr(struct jsonw *w, const struct customs_image_info *in)
{
	size_t i;

	jsonw_key(w, "history");
	jsonw_arr_open(w);
	for (i = 0; i < in->n_history; i++) {
		const struct customs_history *h = &in->history[i];

		jsonw_obj_open(w);
		jsonw_kstr(w, "created", h->created);
		jsonw_kstr(w, "created_by", h->created_by);
		jsonw_kstr(w, "author", h->author);
		jsonw_kstr(w, "comment", h->comment);
		jsonw_kbool(w, "empty_layer", h->empty_layer);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}

static void layers_arr(struct jsonw *w, const struct inspect_data *d)
{
	const struct customs_layer_stats *st;
	size_t i, n;

	st = customs_analysis_layers(d->an, &n);
	jsonw_key(w, "layers");
	jsonw_arr_open(w);
	for (i = 0; i < d->info->n_layers && i < n; i++) {
		const struct customs_layer_info *li = &d->info->layers[i];

		jsonw_obj_open(w);
		jsonw_ku64(w, "index", i);
		jsonw_kstr(w, "digest", li->digest);
		jsonw_kstr(w, "diff_id",
			   li->diff_id ? li->diff_id : st[i].diff_id);
		jsonw_kstr(w, "media_type", li->media_type);
		jsonw_ku64(w, "size", li->size);
		jsonw_kstr(w, "compression", st[i].compression);
		jsonw_kstr(w, "created_by", li->created_by);
		jsonw_ku64(w, "entries", st[i].entries);
		jsonw_ku64(w, "files", st[i].files);
		jsonw_ku64(w, "bytes", st[i].bytes);
		jsonw_ku64(w, "whiteouts", st[i].whiteouts);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}

static void distro_obj(struct jsonw *w, const struct customs_distro *ds)
{
	jsonw_key(w, "distro");
	if (!ds) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	jsonw_kstr(w, "id", ds->id);
	jsonw_kstr(w, "version_id", ds->version_id);
	jsonw_kstr(w, "version", ds->version);
	jsonw_kstr(w, "pretty_name", ds->pretty_name);
	jsonw_kstr(w, "id_like", ds->id_like);
	jsonw_kstr(w, "codename", ds->codename);
	jsonw_kstr(w, "cpe", ds->cpe);
	jsonw_kstr(w, "source", ds->source);
	jsonw_obj_close(w);
}

static void summary_obj(struct jsonw *w, const struct customs_fsindex *idx)
{
	struct file_summary s;

	summarize_files(idx, &s);
	jsonw_key(w, "summary");
	jsonw_obj_open(w);
	jsonw_ku64(w, "total", s.total);
	jsonw_ku64(w, "files", s.files);
	jsonw_ku64(w, "dirs", s.dirs);
	jsonw_ku64(w, "symlinks", s.symlinks);
	jsonw_ku64(w, "hardlinks", s.hardlinks);
	jsonw_ku64(w, "other", s.other);
	jsonw_ku64(w, "suid", s.suid);
	jsonw_ku64(w, "sgid", s.sgid);
	jsonw_obj_close(w);
}

static void path_str(struct jsonw *w, const char *key, const char *path)
{
	char buf[4200];

	snprintf(buf, sizeof(buf), "/%s", path);
	jsonw_kstr(w, key, buf);
}

static int suid_one(const struct customs_file *f, void *data)
{
	struct jsonw *w = data;
	char mode[8];

	if (!(f->mode & 06000))
		return 0;
	mode_str(mode, f->mode);
	jsonw_obj_open(w);
	path_str(w, "path", f->path);
	jsonw_kstr(w, "mode", mode);
	jsonw_ku64(w, "layer", (uint64_t)f->layer);
	jsonw_obj_close(w);
	return 0;
}

/* Runs on two threads at once (inspect_files.c): no static state. */
static int file_one(const struct customs_file *f, void *data)
{
	struct jsonw *w = data;
	char mode[8], hex[65];

	mode_str(mode, f->mode);
	jsonw_obj_open(w);
	path_str(w, "path", f->path);
	jsonw_kstr(w, "type", customs_ftype_name(f->type));
	jsonw_kstr(w, "mode", mode);
	jsonw_ku64(w, "uid", f->uid);
	jsonw_ku64(w, "gid", f->gid);
	jsonw_ku64(w, "size", f->size);
	jsonw_key(w, "sha256");
	if (f->has_sha256) {
		customs_hex(hex, f->sha256, 32);
		jsonw_str(w, hex);
	} else {
		jsonw_null(w);
	}
	if (f->has_md5) { /* only when the scan was asked for it */
		customs_hex(hex, f->md5, 16);
		jsonw_kstr(w, "md5", hex);
	}
	if (f->type == CUSTOMS_FT_HARDLINK && f->link)
		path_str(w, "link", f->link);
	else
		jsonw_kstr(w, "link", f->link);
	jsonw_ku64(w, "layer", (uint64_t)f->layer);
	jsonw_obj_close(w);
	return 0;
}

void inspect_write_json(FILE *out, const struct inspect_data *d)
{
	const struct customs_fsindex *idx = customs_analysis_files(d->an);
	struct jsonw w;

	jsonw_init(&w, out, true);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "schema", "customs.inspect/v1");
	jsonw_key(&w, "source");
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "kind", customs_source_kind_name(d->info->source));
	jsonw_kstr(&w, "path", d->info->source_path);
	jsonw_obj_close(&w);
	image_obj(&w, d);
	config_obj(&w, d->info);
	history_arr(&w, d->info);
	jsonw_key(&w, "dockerfile");
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "mode", d->dockerfile_mode);
	jsonw_kstr(&w, "text", d->dockerfile);
	jsonw_obj_close(&w);
	layers_arr(&w, d);
	distro_obj(&w, customs_analysis_distro(d->an));
	summary_obj(&w, idx);
	jsonw_key(&w, "suid_files");
	jsonw_arr_open(&w);
	customs_fsindex_foreach(idx, suid_one, &w);
	jsonw_arr_close(&w);
	if (d->with_files) {
		jsonw_key(&w, "files");
		jsonw_arr_open(&w);
		inspect_files_json(&w, idx, file_one);
		jsonw_arr_close(&w);
	}
	if (d->secrets)
		secrets_write_json_keys(&w, d->secrets);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

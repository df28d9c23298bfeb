/*
 * `customs inspect` for people: a key/value summary, then the layers, the
 * history, setuid/setgid files and (with --files) the file catalog.
 * Values that came from the image are printed with control characters
 * replaced, so an image cannot drive the terminal.
 */
#include <stdio.h>
#include <string.h>

#include "inspect.h"
#include "secrets_cli.h"
#include "util/banned.h"

void mode_str(char out[8], uint32_t mode)
{
	snprintf(out, 8, "%04o", mode & 07777);
}

void platform_str(char *out, size_t n, const struct customs_image_info *in)
{
	if (!in->os && !in->architecture) {
		snprintf(out, n, "-");
		return;
	}
	snprintf(out, n, "%s/%s%s%s", in->os ? in->os : "?",
		 in->architecture ? in->architecture : "?",
		 in->variant ? "/" : "", in->variant ? in->variant : "");
}

static int count_one(const struct customs_file *f, void *data)
{
	struct file_summary *s = data;

	s->total++;
	switch (f->type) {
	case CUSTOMS_FT_REG:
		s->files++;
		break;
	case CUSTOMS_FT_DIR:
		s->dirs++;
		break;
	case CUSTOMS_FT_SYMLINK:
		s->symlinks++;
		break;
	case CUSTOMS_FT_HARDLINK:
		s->hardlinks++;
		break;
	default:
		s->other++;
		break;
	}
	s->suid += (f->mode & 04000) ? 1 : 0;
	s->sgid += (f->mode & 02000) ? 1 : 0;
	return 0;
}

void summarize_files(const struct customs_fsindex *idx, struct file_summary *s)
{
	memset(s, 0, sizeof(*s));
	customs_fsindex_foreach(idx, count_one, s);
}

/* Print s with control characters shown as '?'. */
static void safe(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc(((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s, out);
}

static void kv(FILE *out, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(out, "%-12s ", key);
	safe(out, value);
	fputc('\n', out);
}

static void kv_list(FILE *out, const char *key, const struct customs_strlist *l,
		    const char *sep)
{
	size_t i;

	if (!l->n)
		return;
	fprintf(out, "%-12s ", key);
	for (i = 0; i < l->n; i++) {
		if (i)
			fputs(sep, out);
		safe(out, l->v[i]);
	}
	fputc('\n', out);
}

static void human_size(char *out, size_t n, uint64_t v)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%llu B", (unsigned long long)v);
	else
		snprintf(out, n, "%.1f %s", d, units[u]);
}

static void header(FILE *out, const struct inspect_data *d)
{
	const struct customs_image_info *in = d->info;
	const struct customs_distro *ds = customs_analysis_distro(d->an);
	char buf[512], sz[32];
	size_t i;

	kv(out, "Source", customs_source_kind_name(in->source));
	kv(out, "Path", in->source_path);
	kv(out, "Image ID", in->id);
	kv(out, "Digest", in->manifest_digest);
	kv(out, "Index", in->index_digest);
	kv_list(out, "Tags", &in->repo_tags, ", ");
	platform_str(buf, sizeof(buf), in);
	kv(out, "Platform", buf);
	kv_list(out, "Platforms", &in->platforms, ", ");
	if (ds) {
		snprintf(buf, sizeof(buf), "%s %s%s%s%s", ds->id,
			 ds->version	  ? ds->version
			 : ds->version_id ? ds->version_id
					  : "",
			 ds->pretty_name ? " (" : "",
			 ds->pretty_name ? ds->pretty_name : "",
			 ds->pretty_name ? ")" : "");
		kv(out, "Distro", buf);
	}
	kv(out, "Created", in->created);
	human_size(sz, sizeof(sz), in->total_size);
	snprintf(buf, sizeof(buf), "%s in %zu layers", sz, in->n_layers);
	kv(out, "Size", in->source == CUSTOMS_SOURCE_DIR ? NULL : buf);
	kv(out, "User", in->user);
	kv(out, "Workdir", in->working_dir);
	kv_list(out, "Entrypoint", &in->entrypoint, " ");
	kv_list(out, "Cmd", &in->cmd, " ");
	kv_list(out, "Env", &in->env, "\n             ");
	kv_list(out, "Ports", &in->exposed_ports, ", ");
	kv_list(out, "Volumes", &in->volumes, ", ");
	for (i = 0; i < in->labels.n; i++) {
		snprintf(buf, sizeof(buf), "%s=%s", in->labels.keys[i],
			 in->labels.values[i]);
		kv(out, i ? "" : "Labels", buf);
	}
	if (in->healthcheck.present)
		kv_list(out, "Healthcheck", &in->healthcheck.test, " ");
	kv(out, "Stopsignal", in->stop_signal);
}

static void files_line(FILE *out, const struct customs_fsindex *idx)
{
	struct file_summary s;

	summarize_files(idx, &s);
	fprintf(out,
		"%-12s %llu entries: %llu files, %llu dirs, %llu symlinks, "
		"%llu hard links, %llu other; %llu setuid, %llu setgid\n",
		"Files", (unsigned long long)s.total,
		(unsigned long long)s.files, (unsigned long long)s.dirs,
		(unsigned long long)s.symlinks, (unsigned long long)s.hardlinks,
		(unsigned long long)s.other, (unsigned long long)s.suid,
		(unsigned long long)s.sgid);
}

static void layers(FILE *out, const struct inspect_data *d)
{
	const struct customs_layer_stats *st;
	size_t i, n;
	char sz[32];

	st = customs_analysis_layers(d->an, &n);
	if (!d->info->n_layers)
		return;
	fprintf(out, "\nLAYERS\n%-3s %-71s %-10s %-5s %7s  %s\n", "#", "DIGEST",
		"SIZE", "COMP", "FILES", "CREATED BY");
	for (i = 0; i < d->info->n_layers && i < n; i++) {
		const struct customs_layer_info *li = &d->info->layers[i];

		human_size(sz, sizeof(sz), li->size);
		fprintf(out, "%-3zu %-71s %-10s %-5s %7llu  ", i,
			li->digest ? li->digest : st[i].diff_id, sz,
			st[i].compression, (unsigned long long)st[i].files);
		safe(out, li->created_by ? li->created_by : "");
		fputc('\n', out);
	}
}

static int suid_line(const struct customs_file *f, void *data)
{
	FILE *out = data;
	char mode[8];

	if (!(f->mode & 06000))
		return 0;
	mode_str(mode, f->mode);
	fprintf(out, "%s  %-5d /", mode, f->layer);
	safe(out, f->path);
	fputc('\n', out);
	return 0;
}

static int file_line(const struct customs_file *f, void *data)
{
	FILE *out = data;
	char mode[8], hex[65];

	mode_str(mode, f->mode);
	if (f->has_sha256)
		customs_hex(hex, f->sha256, 32);
	fprintf(out, "%-8s %s %5u:%-5u %12llu %-5d %-64s /",
		customs_ftype_name(f->type), mode, f->uid, f->gid,
		(unsigned long long)f->size, f->layer,
		f->has_sha256 ? hex : "-");
	safe(out, f->path);
	if (f->link) {
		fputs(f->type == CUSTOMS_FT_HARDLINK ? " => /" : " -> ", out);
		safe(out, f->link);
	}
	fputc('\n', out);
	return 0;
}

void inspect_write_table(FILE *out, const struct inspect_data *d)
{
	const struct customs_fsindex *idx = customs_analysis_files(d->an);
	struct file_summary s;
	size_t i;

	header(out, d);
	files_line(out, idx);
	layers(out, d);
	if (d->info->n_history) {
		fputs("\nHISTORY\n", out);
		for (i = 0; i < d->info->n_history; i++) {
			const struct customs_history *h = &d->info->history[i];

			fprintf(out, "%-3zu %s ", i,
				h->empty_layer ? "-" : "L");
			safe(out, h->created_by ? h->created_by : "");
			fputc('\n', out);
		}
	}
	summarize_files(idx, &s);
	if (s.suid || s.sgid) {
		fputs("\nSETUID/SETGID FILES\nMODE  LAYER PATH\n", out);
		customs_fsindex_foreach(idx, suid_line, out);
	}
	if (d->with_files) {
		fputs("\nFILES\nTYPE     MODE   UID:GID          SIZE LAYER "
		      "SHA256                                                  "
		      "  "
		      "       PATH\n",
		      out);
		customs_fsindex_foreach(idx, file_line, out);
	}
	if (d->secrets && d->secrets->secrets_scanned) {
		fputs("\nSECRETS\n", out);
		secrets_write_table(out, d->secrets);
	}
}

/*
 * `customs inspect`: open the image, decode every layer once, print image
 * facts in the formats asked for.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspect.h"
#include "secrets_cli.h"
#include "util/banned.h"

static const char inspect_usage[] =
	"usage: customs inspect [options] TARGET\n"
	"\n"
	"Print what an image is: id, digests, tags, platform, distro, layers\n"
	"(digest, size, created_by), config (env, user, ports, "
	"entrypoint/cmd,\n"
	"labels, healthcheck), history, the Dockerfile, file counts and\n"
	"setuid/setgid files. Layers are decoded as streams, in parallel, and\n"
	"every digest is verified.\n"
	"\n"
	"TARGET: docker-archive:PATH[:REF], oci:DIR[:REF], "
	"oci-archive:PATH[:REF],\n"
	"dir:PATH, registry:REF, or a path whose kind is detected, or a\n"
	"reference that is not a path (nginx:1.25).\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT[=FILE]  table (default) or json; repeatable,\n"
	"                              FILE defaults to standard output\n"
	"      --files                 include the full file catalog (path, "
	"type,\n"
	"                              mode, uid, gid, size, SHA-256, link, "
	"layer)\n"
	"      --dockerfile FILE       the Dockerfile the image was built "
	"from\n"
	"                              (mode Actual; default: guessed from "
	"history)\n"
	"      --secrets-config FILE   secret rules file (YAML, see "
	"`customs\n"
	"                              secrets --help`)\n"
	"      --no-secrets            do not scan for secrets (JSON "
	"\"secrets\":\n"
	"                              scanned false)\n"
	"      --content-regex [NAME=]REGEX\n"
	"                              Anchore content_search pattern, "
	"matched per\n"
	"                              line of every file; repeatable\n"
	"      --retrieve-file PATH    store this file's content (default\n"
	"                              /etc/passwd); repeatable\n"
	"      --malware-db DIR        scan with ClamAV signatures from DIR\n"
	"                              (default: not run, JSON \"malware\": "
	"null)\n"
	"      --show-secrets          print ENV, labels, history, layers'\n"
	"                              created_by and the guessed Dockerfile "
	"as the\n"
	"                              image has them (default: each secret "
	"the\n"
	"                              scan finds there is replaced by "
	"'*')\n" IMAGE_OPTS_HELP
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 success, 2 bad input or usage, 3 internal error.\n";

struct inspect_opts {
	struct outputs outs;
	struct customs_image_opts img;
	struct customs_scan_opts scan;
	struct secrets_cli sec;
	const char *dockerfile_path;
	const char *target;
	bool show_secrets;
};

enum {
	OPT_FILES = OPT_FIRST_OWN,
	OPT_DOCKERFILE,
	OPT_SHOW_SECRETS,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "dockerfile", required_argument, NULL, OPT_DOCKERFILE },
	{ "show-secrets", no_argument, NULL, OPT_SHOW_SECRETS },
	SECRETS_LONG_OPTS,
	IMAGE_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "table", "json", NULL };

static int one_opt(struct inspect_opts *o, int c, const char *arg)
{
	int rc;

	switch (c) {
	case 'o':
		return parse_output(&o->outs, arg, formats);
	case OPT_FILES:
		o->scan.hash_files = true;
		return 0;
	case OPT_DOCKERFILE:
		o->dockerfile_path = arg;
		return 0;
	case OPT_SHOW_SECRETS:
		o->show_secrets = true;
		return 0;
	case OPT_SECRETS_CONFIG:
	case OPT_NO_SECRETS:
	case OPT_CONTENT_REGEX:
	case OPT_RETRIEVE_FILE:
	case OPT_MALWARE_DB:
		return secrets_cli_opt(&o->sec, c, arg);
	default:
		rc = image_opt(&o->img, &o->scan, c, arg);
		return rc >= 0 ? rc
			       : usage_error("see `customs inspect --help`");
	}
}

static int one_opt_cb(void *data, int c, const char *arg)
{
	return one_opt(data, c, arg);
}

/* Returns -1 after --help (exit 0), 0 to go on, or an exit code. */
static int parse_args(struct inspect_opts *o, int argc, char **argv)
{
	struct cmd_args a = { "inspect", inspect_usage, long_opts, one_opt_cb,
			      o,	 NULL };
	int rc = parse_target_args(&a, argc, argv);

	if (rc)
		return rc;
	o->target = a.target;
	if (!o->outs.n)
		parse_output(&o->outs, "table", formats);
	o->scan.limits = o->img.limits;
	return 0;
}

static void write_outputs(const struct inspect_opts *o, FILE **files,
			  const struct inspect_data *d)
{
	int i;

	for (i = 0; i < o->outs.n; i++) {
		if (!strcmp(o->outs.v[i].format, "json"))
			inspect_write_json(files[i], d);
		else
			inspect_write_table(files[i], d);
	}
}

static int run(struct inspect_opts *o, struct customs_ctx *ctx)
{
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_secrets *sec = NULL;
	struct customs_secrets_report *rep = NULL;
	struct inspect_data d = { 0 };
	struct inspect_censored cv = { 0 };
	char *dockerfile = NULL;
	FILE *files[MAX_OUTPUTS];
	int rc, ex;

	ex = open_outputs(&o->outs, files);
	if (ex)
		return ex;
	rc = 0;
	if (o->dockerfile_path)
		rc = customs_dockerfile_load(&dockerfile, o->dockerfile_path,
					     ctx);
	if (!rc)
		rc = customs_secrets_new(&sec, secrets_cli_opts(&o->sec), ctx);
	if (!rc)
		rc = customs_image_open(&img, ctx, o->target, &o->img);
	if (!rc) {
		o->scan.analyzers =
			customs_secrets_analyzers(sec, &o->scan.n_analyzers);
		rc = customs_image_scan(&an, img, ctx, &o->scan);
	}
	if (!rc)
		rc = customs_secrets_finish(&rep, sec, img, an, ctx);
	if (!rc && !dockerfile)
		rc = customs_image_guess_dockerfile(&dockerfile, img);
	/* a given Dockerfile is the user's text, not the image's */
	if (!rc && !o->show_secrets)
		rc = inspect_censor(&cv, customs_image_info(img),
				    o->dockerfile_path ? NULL : dockerfile,
				    sec);
	if (rc) {
		ex = fail_ctx(ctx, rc);
		close_outputs(&o->outs, files, false);
		goto out;
	}
	d.info = o->show_secrets ? customs_image_info(img) : &cv.info;
	d.dockerfile = o->show_secrets || o->dockerfile_path ? dockerfile
							     : cv.dockerfile;
	d.an = an;
	d.dockerfile_mode = o->dockerfile_path ? "Actual" : "Guessed";
	d.with_files = o->scan.hash_files;
	d.secrets = rep;
	write_outputs(o, files, &d);
	ex = close_outputs(&o->outs, files, true);
out:
	inspect_censored_free(&cv);
	free(dockerfile);
	customs_secrets_report_free(rep);
	customs_secrets_free(sec);
	customs_analysis_free(an);
	customs_image_free(img);
	return ex;
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_opts o = { 0 };
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	o.img = img_init;
	o.scan = scan_init;
	secrets_cli_init(&o.sec);
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}

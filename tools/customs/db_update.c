/*
 * customs db update: download the public feeds into the database.
 *
 * Everything it says goes to stderr (stdout stays empty): on a terminal
 * one status line per feed, rewritten in place while bytes arrive; else
 * one plain line per feed when it ends, so logs stay readable. --quiet
 * keeps only errors. Exit 0 when every feed was imported or unchanged, 1
 * when a feed failed (the others are still committed unless --strict),
 * 2 for bad usage or an unusable database, 3 for internal errors, 130
 * after SIGINT or SIGTERM (the library stops, the file it was building is
 * removed, the database stays as it was).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "customs/vulndb.h"
#include "cli.h"
#include "util/banned.h"

#define MAX_WARNINGS_SHOWN 20

static const char update_usage[] =
	"usage: customs db update [--db FILE] [--feeds LIST] [--mirror URL]\n"
	"                         [--config FILE] [--strict] [--quiet]\n"
	"\n"
	"Download the vulnerability feeds and import them into the database.\n"
	"Files are fetched with conditional GET (ETag/Last-Modified kept in\n"
	"the database): an unchanged feed is not downloaded again. Everything\n"
	"is written to a copy that replaces the database at the end, so\n"
	"readers never see a half-written one.\n"
	"\n"
	"options:\n"
	"      --db FILE        the database (default $CUSTOMS_DB, else\n"
	"                       vuln.db in the cache directory:\n"
	"                       $CUSTOMS_CACHE_DIR, else\n"
	"                       $XDG_CACHE_HOME/customs, else "
	"~/.cache/customs)\n"
	"      --feeds LIST     comma-separated feeds, groups (osv, ...),\n"
	"                       'default' or 'all' (default: the config's\n"
	"                       feeds, else 'default')\n"
	"      --mirror URL     fetch group G's files from URL/G/ instead\n"
	"      --config FILE    YAML: mirror, feeds, urls.<group>\n"
	"      --strict         a failed feed commits nothing at all\n"
	"      --retries N      extra attempts per download (default 4)\n"
	"  -q, --quiet          print only errors\n"
	"  -h, --help           this help\n"
	"\n"
	"Base URL of a group, first found: --mirror, the environment\n"
	"CUSTOMS_FEED_<GROUP>_URL, the config's urls.<group>, the config's\n"
	"mirror, the built-in URL. Proxies come from http_proxy, https_proxy\n"
	"and no_proxy; NVD_API_KEY is sent to the NVD API.\n"
	"\n"
	"exit codes: 0 every feed imported or unchanged; 1 a feed failed (the\n"
	"others are committed unless --strict); 2 bad usage or database;\n"
	"3 internal error; 130 interrupted (SIGINT, SIGTERM: nothing\n"
	"committed).\n";

struct upd_cli {
	struct customs_vulndb_update_opts o;
	bool quiet, tty, line_open;
	unsigned warnings;
};

enum {
	OPT_DB = 300,
	OPT_FEEDS,
	OPT_MIRROR,
	OPT_CONFIG,
	OPT_STRICT,
	OPT_RETRIES,
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* SIGINT and SIGTERM ask the update to stop instead of killing it. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static const struct option update_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "feeds", required_argument, NULL, OPT_FEEDS },
	{ "mirror", required_argument, NULL, OPT_MIRROR },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "12.3 MiB" */
static void human(char *out, size_t cap, uint64_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int i = 0;

	while (v >= 1024 && i < 4)
		v /= 1024, i++;
	if (i == 0)
		snprintf(out, cap, "%llu B", (unsigned long long)n);
	else
		snprintf(out, cap, "%.1f %s", v, unit[i]);
}

static void end_line(struct upd_cli *c)
{
	if (c->line_open)
		fputs("\r\033[K", stderr);
	c->line_open = false;
}

static void on_done(struct upd_cli *c, const struct customs_vulndb_progress *p)
{
	char sz[32];

	end_line(c);
	human(sz, sizeof(sz), p->bytes);
	if (p->result == CUSTOMS_UPDATE_FAILED)
		fprintf(stderr, "customs: db update: %s: failed: %s\n", p->feed,
			p->message ? p->message : "");
	else if (c->quiet)
		return;
	else if (p->result == CUSTOMS_UPDATE_UNCHANGED)
		fprintf(stderr, "customs: db update: %s: not modified\n",
			p->feed);
	else
		fprintf(stderr,
			"customs: db update: %s: imported %llu records "
			"(%s downloaded)\n",
			p->feed, (unsigned long long)p->records, sz);
}

static void on_progress(void *arg, const struct customs_vulndb_progress *p)
{
	struct upd_cli *c = arg;
	char now[32], total[32];

	switch (p->event) {
	case CUSTOMS_UPDATE_FEED_START:
		if (c->tty && !c->quiet) {
			fprintf(stderr, "\r\033[K%s: starting", p->feed);
			c->line_open = true;
		}
		break;
	case CUSTOMS_UPDATE_BYTES:
		if (!c->tty || c->quiet)
			break;
		human(now, sizeof(now), p->bytes);
		human(total, sizeof(total), p->total);
		fprintf(stderr, "\r\033[K%s: %s / %s", p->feed, now,
			p->total ? total : "?");
		c->line_open = true;
		break;
	case CUSTOMS_UPDATE_RETRY:
		end_line(c);
		if (!c->quiet)
			fprintf(stderr, "customs: db update: %s: %s\n", p->feed,
				p->message);
		break;
	case CUSTOMS_UPDATE_FEED_DONE:
		on_done(c, p);
		break;
	}
	fflush(stderr);
}

static void on_warn(void *arg, const char *msg)
{
	struct upd_cli *c = arg;

	if (c->quiet || ++c->warnings > MAX_WARNINGS_SHOWN)
		return;
	end_line(c);
	fprintf(stderr, "customs: warning: %s\n", msg);
}

static int parse_opts(struct upd_cli *c, int argc, char **argv)
{
	unsigned long n;
	char *end;
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":qh", update_opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(update_usage, stdout);
			return -1;
		case 'q':
			c->quiet = true;
			break;
		case OPT_DB:
			c->o.db_path = optarg;
			break;
		case OPT_FEEDS:
			c->o.feeds = optarg;
			break;
		case OPT_MIRROR:
			c->o.mirror = optarg;
			break;
		case OPT_CONFIG:
			c->o.config_path = optarg;
			break;
		case OPT_STRICT:
			c->o.strict = true;
			break;
		case OPT_RETRIES:
			n = strtoul(optarg, &end, 10);
			if (*end || end == optarg || n > 20 || *optarg == '-')
				return usage_error("--retries: expected 0 to "
						   "20, not '%s'",
						   optarg);
			c->o.attempts = (unsigned)n + 1;
			break;
		case ':':
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		default:
			return usage_error("unknown option '%s' (see `customs "
					   "db update --help`)",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("db update: unexpected argument '%s'",
				   argv[optind]);
	return 0;
}

int cmd_db_update(int argc, char **argv)
{
	struct upd_cli c = { .o = CUSTOMS_VULNDB_UPDATE_OPTS_INIT };
	struct customs_vulndb_update_report rep = { 0 };
	struct customs_ctx *ctx = NULL;
	int rc;

	rc = parse_opts(&c, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	c.tty = isatty(STDERR_FILENO);
	c.o.progress = on_progress;
	c.o.warn = on_warn;
	c.o.arg = &c;
	c.o.cancel = &interrupted;
	catch_signals();
	if (customs_ctx_new(&ctx))
		return usage_error("out of memory"), EXIT_INTERNAL;
	rc = customs_vulndb_update(&c.o, &rep, ctx);
	end_line(&c);
	if (c.warnings > MAX_WARNINGS_SHOWN && !c.quiet)
		fprintf(stderr, "customs: warning: %u more skipped records\n",
			c.warnings - MAX_WARNINGS_SHOWN);
	if (interrupted && !rep.committed) {
		fputs("customs: error: interrupted; the database was not "
		      "changed\n",
		      stderr);
		rc = 130;
	} else if (rep.failed.n) {
		fprintf(stderr, "customs: error: %s\n",
			customs_ctx_errmsg(ctx));
		rc = EXIT_GATE;
	} else if (rc) {
		rc = fail_ctx(ctx, rc);
	}
	customs_vulndb_update_report_release(&rep);
	customs_ctx_free(ctx);
	return rc;
}

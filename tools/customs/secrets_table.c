/*
 * `customs secrets` as a table for people: one row per finding (rule,
 * severity, path:line, layer, censored match), then the skip counts and
 * the malware verdict.
 */
#include <string.h>

#include "cli.h"
#include "secrets_cli.h"
#include "util/banned.h"

void secrets_cli_init(struct secrets_cli *c)
{
	struct customs_secrets_opts init = CUSTOMS_SECRETS_OPTS_INIT;

	memset(c, 0, sizeof(*c));
	c->opts = init;
	c->opts.content_regexes = c->content;
	c->opts.retrieve = NULL;
}

const struct customs_secrets_opts *secrets_cli_opts(struct secrets_cli *c)
{
	const struct customs_registry_opts *reg = registry_opts();

	c->opts.cache_dir = reg->cache_dir;
	c->opts.no_cache = reg->no_cache;
	return &c->opts;
}

static int push(const char **v, size_t *n, const char *arg, const char *opt)
{
	if (*n >= SECRETS_CLI_MAX_LIST)
		return usage_error("%s: at most %d", opt, SECRETS_CLI_MAX_LIST);
	v[(*n)++] = arg;
	return 0;
}

int secrets_cli_opt(struct secrets_cli *c, int code, const char *arg)
{
	switch (code) {
	case OPT_SECRETS_CONFIG:
		c->opts.config_path = arg;
		return 0;
	case OPT_NO_SECRETS:
		c->opts.secrets = false;
		return 0;
	case OPT_CONTENT_REGEX:
		return push(c->content, &c->opts.n_content_regexes, arg,
			    "--content-regex");
	case OPT_RETRIEVE_FILE:
		c->opts.retrieve = c->retrieve;
		return push(c->retrieve, &c->opts.n_retrieve, arg,
			    "--retrieve-file");
	case OPT_MALWARE_DB:
		c->opts.malware_db = arg;
		return 0;
	}
	return usage_error("unknown secrets option");
}

static void row(FILE *out, const struct customs_secret_finding *f)
{
	char where[512], layer[16];

	snprintf(where, sizeof(where), "%s:%u", f->path, f->line);
	if (f->layer < 0)
		snprintf(layer, sizeof(layer), "-");
	else
		snprintf(layer, sizeof(layer), "%d", f->layer);
	fprintf(out, "%-30s %-9s %-40s %-5s %s\n", f->rule_id,
		customs_secret_severity_name(f->severity), where, layer,
		f->match);
}

void secrets_write_table(FILE *out, const struct customs_secrets_report *r)
{
	size_t i;
	bool any = false;

	fprintf(out, "%-30s %-9s %-40s %-5s %s\n", "RULE", "SEVERITY",
		"PATH:LINE", "LAYER", "MATCH");
	for (i = 0; i < r->n_findings; i++)
		row(out, &r->findings[i]);
	fprintf(out, "\n%zu secret%s found", r->n_findings,
		r->n_findings == 1 ? "" : "s");
	for (i = 0; i < CUSTOMS_SKIP_N; i++) {
		if (!r->skipped[i])
			continue;
		fprintf(out, "%s %s=%llu",
			any ? "," : "; skipped:", customs_secret_skip_name(i),
			(unsigned long long)r->skipped[i]);
		any = true;
	}
	fputc('\n', out);
	if (!r->malware_run)
		return;
	fprintf(out, "malware (clamav): %zu finding%s\n", r->n_malware,
		r->n_malware == 1 ? "" : "s");
	for (i = 0; i < r->n_malware; i++)
		fprintf(out, "  %s  %s  layer %d\n", r->malware[i].path,
			r->malware[i].signature, r->malware[i].layer);
}

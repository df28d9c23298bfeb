/*
 * Fuzz target for the report writers (src/report). Their input is
 * advisory text from feeds and package facts from images: untrusted
 * strings. The first 4 bytes pick severities, fix states, suppression
 * kinds and scores; the rest is split at each 0xfe byte into the strings
 * of two packages and two findings (one suppressed). Every format is
 * written to memory; besides memory errors the target checks that SARIF
 * and CycloneDX parse as JSON (jansson: valid UTF-8, proper escapes) and
 * that the JUnit XML has no raw control byte or unescaped '<' in text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "customs/report.h"
#include "customs/sbom.h"

#define SEP 0xfe
#define N_STR 18

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Split the input into N_STR strings (missing ones are ""). */
static void split(char *s[N_STR], const uint8_t *p, size_t n)
{
	size_t i, k = 0, start = 0;

	for (i = 0; i < N_STR; i++)
		s[i] = NULL;
	for (i = 0; i <= n && k < N_STR; i++) {
		if (i == n || p[i] == SEP) {
			s[k++] = strndup((const char *)p + start, i - start);
			start = i + 1;
		}
	}
	for (; k < N_STR; k++)
		s[k] = strdup("");
}

static struct customs_pkg *pkg(struct customs_sbom *sb, char *name,
			       char *version, char *purl, char *path, int t)
{
	struct customs_pkg *p = customs_pkg_new(
		(enum customs_pkg_type)(t % CUSTOMS_PKG_TYPE_COUNT));

	if (!p)
		abort();
	customs_pkg_setz(&p->name, name);
	customs_pkg_setz(&p->version, version);
	customs_pkg_setz(&p->purl, purl[0] ? purl : NULL);
	customs_pkg_setz(&p->id, name[0] ? name : NULL);
	if (path[0])
		customs_pkg_add_location(p, path, NULL, 0,
					 CUSTOMS_EVIDENCE_PRIMARY);
	if (customs_pkglist_push(&sb->pkgs, p))
		abort();
	return p;
}

static void check_json(const char *buf, size_t n)
{
	json_t *j = json_loadb(buf, n, 0, NULL);

	if (!j)
		abort();
	json_decref(j);
}

static void check_xml(const char *buf, size_t n)
{
	size_t i;
	int in_tag = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 && c != '\n')
			abort();
		if (c == '<' && in_tag)
			abort(); /* '<' inside a tag: an unescaped attribute */
		if (c == '<')
			in_tag = 1;
		else if (c == '>')
			in_tag = 0;
	}
}

static void render(const struct customs_match_result *res,
		   enum customs_report_format fmt, struct customs_ctx *ctx)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int rc;

	if (!f)
		abort();
	rc = customs_report_write(f, res, fmt, &o, ctx);
	fclose(f);
	if (rc && rc != CUSTOMS_ENOMEM && rc != CUSTOMS_ELIMIT)
		abort();
	if (!rc && fmt == CUSTOMS_REPORT_JUNIT)
		check_xml(buf, n);
	else if (!rc)
		check_json(buf, n);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b[4] = { 0 };
	char *s[N_STR];
	struct customs_sbom *sb;
	struct customs_finding f[2];
	struct customs_suppression sup;
	struct customs_cvss cvss;
	struct customs_match_result res;
	struct customs_ctx *ctx;
	char *cwes[1], *aliases[1], *fixes[1];
	size_t i;

	memcpy(b, data, size < 4 ? size : 4);
	split(s, data + (size < 4 ? size : 4), size < 4 ? 0 : size - 4);
	sb = customs_sbom_new();
	if (!sb || customs_ctx_new(&ctx))
		abort();
	customs_pkg_setz(&sb->source.name, s[0]);
	customs_pkg_setz(&sb->source.kind, b[0] & 1 ? "directory" : "image");
	pkg(sb, s[1], s[2], s[3], s[4], b[0] >> 1);
	pkg(sb, s[5], s[6], s[7], s[8], b[1]);
	memset(f, 0, sizeof(f));
	memset(&res, 0, sizeof(res));
	cwes[0] = s[13];
	aliases[0] = s[14];
	fixes[0] = s[15];
	cvss.version = s[16];
	cvss.vector = s[17];
	cvss.source = s[12];
	cvss.base_score = (double)(b[2] % 110) / 10.0 - (b[2] > 200 ? 20 : 0);
	cvss.exploitability_score = cvss.impact_score = -1;
	cvss.primary = b[2] & 1;
	for (i = 0; i < 2; i++) {
		f[i].pkg = sb->pkgs.v[i];
		f[i].vuln.id = s[9];
		f[i].vuln.namespace = s[10];
		f[i].vuln.description = s[11];
		f[i].vuln.link = b[3] & 1 ? s[12] : NULL;
		f[i].vuln.published = s[16];
		f[i].vuln.severity = (enum customs_severity)((b[1] + i) % 6);
		f[i].vuln.cwes.v = cwes;
		f[i].vuln.cwes.n = 1;
		f[i].vuln.aliases.v = aliases;
		f[i].vuln.aliases.n = b[3] & 2 ? 1 : 0;
		f[i].vuln.cvss = &cvss;
		f[i].vuln.n_cvss = b[3] & 4 ? 1 : 0;
		f[i].vuln.has_epss = b[3] & 8;
		f[i].vuln.epss_score = (double)b[2] / 255.0;
		f[i].vuln.in_kev = b[3] & 16;
		f[i].fix_state = (enum customs_fix_state)((b[0] + i) % 5);
		f[i].fix_versions.v = fixes;
		f[i].fix_versions.n = 1;
		f[i].match_type = (enum customs_match_type)(b[3] >> 5) % 3;
	}
	sup.kind = (enum customs_suppress_kind)(b[2] % 3);
	sup.reason = s[12];
	f[1].ignored = true;
	f[1].suppressions = &sup;
	f[1].n_suppressions = 1;
	res.sbom = sb;
	res.matches = f;
	res.n_matches = 1;
	res.ignored = f + 1;
	res.n_ignored = 1;
	render(&res, CUSTOMS_REPORT_SARIF, ctx);
	render(&res, CUSTOMS_REPORT_CYCLONEDX_JSON, ctx);
	render(&res, CUSTOMS_REPORT_JUNIT, ctx);
	customs_ctx_free(ctx);
	customs_sbom_free(sb);
	for (i = 0; i < N_STR; i++)
		free(s[i]);
	return 0;
}

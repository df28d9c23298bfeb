/*
 * CVSS base scores computed from the vector, with the formulas of the
 * specifications: v2.0 (section 3.2.1), v3.0 and v3.1 (section 7.1-7.4,
 * which differ in the Roundup function: 3.0 rounds up at one decimal
 * directly, 3.1 first rounds to five decimals to avoid floating-point
 * surprises). Exploitability and impact subscores are rounded to one
 * decimal, as NVD publishes them. Only base metrics count; temporal and
 * environmental metrics after them are accepted and ignored. A v4.0
 * vector is recognised but not scored (scores negative): its score is a
 * lookup of macro vectors, and feeds that want it publish it.
 */
#include <string.h>

#include "vulndb/vulndb_int.h"
#include "util/banned.h"

struct metric {
	const char *name;
	const char *values; /* one letter per value */
	double w[5];
};

/* v3: AV AC PR(unchanged) UI C I A; PR changed scope handled apart. */
static const struct metric v3[] = {
	{ "AV", "NALP", { 0.85, 0.62, 0.55, 0.2 } },
	{ "AC", "LH", { 0.77, 0.44 } },
	{ "PR", "NLH", { 0.85, 0.62, 0.27 } },
	{ "UI", "NR", { 0.85, 0.62 } },
	{ "S", "UC", { 0, 1 } },
	{ "C", "HLN", { 0.56, 0.22, 0 } },
	{ "I", "HLN", { 0.56, 0.22, 0 } },
	{ "A", "HLN", { 0.56, 0.22, 0 } },
};

static const struct metric v2[] = {
	{ "AV", "LAN", { 0.395, 0.646, 1.0 } },
	{ "AC", "HML", { 0.35, 0.61, 0.71 } },
	{ "Au", "MSN", { 0.45, 0.56, 0.704 } },
	{ "C", "NPC", { 0, 0.275, 0.660 } },
	{ "I", "NPC", { 0, 0.275, 0.660 } },
	{ "A", "NPC", { 0, 0.275, 0.660 } },
};

#define MAX_METRICS 8

/*
 * Read "NAME:V/NAME:V..." at p against the table m (n entries) into
 * idx[] (the value index of each metric). Every base metric must appear
 * exactly once; other metrics are ignored. 0 or -1.
 */
static int parse_metrics(const char *p, const struct metric *m, size_t n,
			 int *idx)
{
	size_t i, nl;
	const char *colon, *v;

	for (i = 0; i < n; i++)
		idx[i] = -1;
	while (*p && *p != ')') {
		colon = strchr(p, ':');
		if (!colon || !colon[1])
			return -1;
		nl = (size_t)(colon - p);
		for (i = 0; i < n; i++) {
			if (strlen(m[i].name) == nl &&
			    !strncmp(m[i].name, p, nl))
				break;
		}
		if (i < n) {
			v = strchr(m[i].values, colon[1]);
			if (!v || idx[i] >= 0 ||
			    (colon[2] && colon[2] != '/' && colon[2] != ')'))
				return -1;
			idx[i] = (int)(v - m[i].values);
		}
		p = strchr(colon, '/');
		if (!p)
			break;
		p++;
	}
	for (i = 0; i < n; i++) {
		if (idx[i] < 0)
			return -1;
	}
	return 0;
}

static double floor_pos(double x)
{
	return (double)(long long)x;
}

/* One decimal, half up (x >= 0); the epsilon absorbs binary noise. */
static double round1(double x)
{
	return floor_pos(x * 10.0 + 0.5 + 1e-9) / 10.0;
}

static double roundup30(double x)
{
	double t = x * 10.0;
	double f = floor_pos(t);

	return (t - f > 1e-9 ? f + 1 : f) / 10.0;
}

static double roundup31(double x)
{
	long long i = (long long)(x * 100000.0 + 0.5);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double min10(double x)
{
	return x < 10.0 ? x : 10.0;
}

static int score_v3(const char *p, bool v31, struct customs_cvss *out)
{
	int k[MAX_METRICS];
	double pr, iss, impact, expl, t;
	bool changed;

	if (parse_metrics(p, v3, 8, k))
		return CUSTOMS_EFORMAT;
	changed = k[4] == 1;
	pr = v3[2].w[k[2]];
	if (changed && k[2] == 1)
		pr = 0.68;
	else if (changed && k[2] == 2)
		pr = 0.5;
	iss = 1 -
	      (1 - v3[5].w[k[5]]) * (1 - v3[6].w[k[6]]) * (1 - v3[7].w[k[7]]);
	if (changed) {
		t = iss - 0.02;
		impact = 7.52 * (iss - 0.029) -
			 3.25 * (t * t * t * t * t * t * t * t * t * t * t * t *
				 t * t * t);
	} else {
		impact = 6.42 * iss;
	}
	expl = 8.22 * v3[0].w[k[0]] * v3[1].w[k[1]] * pr * v3[3].w[k[3]];
	t = changed ? 1.08 * (impact + expl) : impact + expl;
	out->base_score =
		impact <= 0 ? 0
			    : (v31 ? roundup31(min10(t)) : roundup30(min10(t)));
	out->exploitability_score = round1(expl);
	out->impact_score = impact <= 0 ? 0 : round1(impact);
	return 0;
}

static int score_v2(const char *p, struct customs_cvss *out)
{
	int k[MAX_METRICS];
	double impact, expl, base;

	if (*p == '(')
		p++;
	if (parse_metrics(p, v2, 6, k))
		return CUSTOMS_EFORMAT;
	impact = 10.41 * (1 - (1 - v2[3].w[k[3]]) * (1 - v2[4].w[k[4]]) *
				      (1 - v2[5].w[k[5]]));
	expl = 20 * v2[0].w[k[0]] * v2[1].w[k[1]] * v2[2].w[k[2]];
	base = impact == 0 ? 0 : (0.6 * impact + 0.4 * expl - 1.5) * 1.176;
	out->base_score = round1(base < 0 ? 0 : base);
	out->exploitability_score = round1(expl);
	out->impact_score = round1(impact);
	return 0;
}

int vulndb_cvss_compute(const char *vector, struct customs_cvss *out)
{
	memset(out, 0, sizeof(*out));
	out->vector = vector;
	out->base_score = out->exploitability_score = out->impact_score = -1;
	if (!vector)
		return CUSTOMS_EFORMAT;
	if (!strncmp(vector, "CVSS:3.1/", 9)) {
		out->version = "3.1";
		return score_v3(vector + 9, true, out);
	}
	if (!strncmp(vector, "CVSS:3.0/", 9)) {
		out->version = "3.0";
		return score_v3(vector + 9, false, out);
	}
	if (!strncmp(vector, "CVSS:4.0/", 9)) {
		out->version = "4.0";
		return 0;
	}
	out->version = "2.0";
	if (!strncmp(vector, "CVSS:2.0/", 9))
		vector += 9;
	return score_v2(vector, out);
}

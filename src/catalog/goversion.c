/*
 * The version of a Go main module built as "(devel)" (see
 * go_main_version in gobuildinfo.h), following Syft's order and its two
 * ldflags patterns:
 *   \.([gG]it)?([bB]uild)?[vV]er(sion)?=(\S+/)*(v?\d+.\d+.\d+[-\w]*)
 *   \.([tT]ag)=(\S+/)*(v?\d+.\d+.\d+[-\w]*)
 * matched here by hand: the leftmost key wins, and after '=' the
 * version may follow any "a/b/" prefix of the value, the longest tried
 * first (as the greedy group does). Note the unescaped '.' between the
 * numbers: it is any byte but a newline, as in the regex.
 *
 * Dates are converted without the C library (gmtime is banned): days
 * from the civil calendar and back, so any offset in vcs.time is
 * folded into UTC.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "catalog/gobuildinfo.h"
#include "util/banned.h"

#define MAX_DIGITS 32 /* bounds the backtracking on hostile input */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

/* \d+ (.\d+){left}, with backtracking on the digit runs; end or 0. */
static size_t numbers(const char *s, size_t i, int left)
{
	size_t run = 0, k, end;

	while (is_digit(s[i + run]) && run < MAX_DIGITS)
		run++;
	for (k = run; k >= 1; k--) {
		if (!left)
			return i + k;
		if (!s[i + k] || s[i + k] == '\n')
			continue;
		end = numbers(s, i + k + 1, left - 1);
		if (end)
			return end;
	}
	return 0;
}

/* v?\d+.\d+.\d+[-\w]* at s; the length or 0. */
static size_t semver_at(const char *s)
{
	size_t i = s[0] == 'v', end = numbers(s, i, 2);

	if (!end)
		return 0;
	while (is_word(s[end]))
		end++;
	return end;
}

/* After '=' at v: try each "prefix/" of the value, longest first. */
static bool value_version(const char *v, const char **ver, size_t *n)
{
	size_t tok = strcspn(v, " \t\n\r\f\v"), i = tok + 1;

	while (i-- > 0) {
		if (i && v[i - 1] != '/')
			continue;
		*n = semver_at(v + i);
		if (*n) {
			*ver = v + i;
			return true;
		}
	}
	return false;
}

static const char *opt(const char *p, const char *word)
{
	size_t n = strlen(word);

	if ((p[0] == word[0] || p[0] == word[0] - 'a' + 'A') &&
	    !strncmp(p + 1, word + 1, n - 1))
		return p + n;
	return p;
}

/* The key part of a pattern at p (just after '.'): '=' position or NULL. */
static const char *key_end(const char *p, bool tag)
{
	const char *q;

	if (tag) {
		q = opt(p, "tag");
		return q != p && *q == '=' ? q : NULL;
	}
	p = opt(opt(p, "git"), "build");
	q = opt(p, "ver");
	if (q == p)
		return NULL;
	if (!strncmp(q, "sion=", 5))
		return q + 4;
	return *q == '=' ? q : NULL;
}

static bool ldflags_version(const char *ld, bool tag, const char **ver,
			    size_t *n)
{
	const char *p, *eq;

	for (p = strchr(ld, '.'); p; p = strchr(p + 1, '.')) {
		eq = key_end(p + 1, tag);
		if (eq && value_version(eq + 1, ver, n))
			return true;
	}
	return false;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* n digits at s into *v. */
static bool num(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* RFC 3339 "2006-01-02T15:04:05[.frac](Z|+hh:mm)" as UTC digits. */
static bool utc_stamp(char out[15], const char *t)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0;
	int64_t secs;
	const char *z;

	if (!t || strlen(t) < 20 || !num(t, 4, &y) || t[4] != '-' ||
	    !num(t + 5, 2, &mo) || t[7] != '-' || !num(t + 8, 2, &d) ||
	    (t[10] != 'T' && t[10] != 't') || !num(t + 11, 2, &h) ||
	    t[13] != ':' || !num(t + 14, 2, &mi) || t[16] != ':' ||
	    !num(t + 17, 2, &s))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		return false;
	z = t + 19;
	if (*z == '.')
		for (z++; is_digit(*z); z++)
			;
	if (*z == '+' || *z == '-') {
		sign = *z == '+' ? 1 : -1;
		if (!num(z + 1, 2, &oh) || z[3] != ':' || !num(z + 4, 2, &om) ||
		    z[6])
			return false;
	} else if ((*z != 'Z' && *z != 'z') || z[1]) {
		return false;
	}
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
	       sign * (oh * 3600 + om * 60);
	civil_from_days(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400, &y,
			&mo, &d);
	secs = ((secs % 86400) + 86400) % 86400;
	if (y < 0 || y > 9999)
		return false;
	snprintf(out, 15, "%04d%02d%02d%02d%02d%02d", y, mo, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return true;
}

bool go_main_version(char *out, size_t cap, const char *ldflags,
		     const char *revision, const char *vcs_time)
{
	const char *ver;
	char stamp[15];
	size_t n;

	if (ldflags && (ldflags_version(ldflags, false, &ver, &n) ||
			ldflags_version(ldflags, true, &ver, &n))) {
		if (n + 2 > cap)
			return false;
		snprintf(out, cap, "%s%.*s", ver[0] == 'v' ? "" : "v", (int)n,
			 ver);
		return true;
	}
	if (!revision || !vcs_time)
		return false;
	if (!utc_stamp(stamp, vcs_time))
		memcpy(stamp, "00010101000000", 15);
	snprintf(out, cap, "v0.0.0-%s-%.12s", stamp, revision);
	return true;
}

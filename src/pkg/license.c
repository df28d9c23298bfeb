/*
 * Declared licence names to SPDX identifiers.
 *
 * Packages declare licences as their authors wrote them: SPDX ids
 * ("MIT"), deprecated ids ("GPL-2.0+"), Debian copyright short names
 * ("GPL-2+", "Expat"), or prose ("Apache License, Version 2.0"). Writers
 * need SPDX ids or expressions. This file maps the common ones with two
 * tables, both matched ignoring case and surrounding blanks:
 *   - ids: the SPDX identifiers we know (about 160 of the most used), so
 *     "apache-2.0" comes back as "Apache-2.0";
 *   - aliases: other spellings to one of those ids.
 * A trailing "+" on a GNU licence ("GPL-2+", "LGPL-2.1+") means "or
 * later". Ambiguous names ("BSD", "GPL" without a version) and
 * non-licences ("public-domain", "other") map to nothing: the writers
 * then keep the declared text as a name, which loses nothing.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "customs/pkg.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define LICENSE_MAX 256

static const char *const ids[] = {
	"0BSD",
	"AFL-2.1",
	"AFL-3.0",
	"AGPL-1.0-only",
	"AGPL-1.0-or-later",
	"AGPL-3.0-only",
	"AGPL-3.0-or-later",
	"Apache-1.0",
	"Apache-1.1",
	"Apache-2.0",
	"APSL-2.0",
	"Artistic-1.0",
	"Artistic-1.0-Perl",
	"Artistic-2.0",
	"Beerware",
	"BitTorrent-1.1",
	"BlueOak-1.0.0",
	"BSD-1-Clause",
	"BSD-2-Clause",
	"BSD-2-Clause-Patent",
	"BSD-3-Clause",
	"BSD-3-Clause-Clear",
	"BSD-3-Clause-LBNL",
	"BSD-4-Clause",
	"BSD-4-Clause-UC",
	"BSD-Source-Code",
	"BSL-1.0",
	"bzip2-1.0.6",
	"CAL-1.0",
	"CC-BY-1.0",
	"CC-BY-2.0",
	"CC-BY-2.5",
	"CC-BY-3.0",
	"CC-BY-4.0",
	"CC-BY-NC-4.0",
	"CC-BY-NC-SA-4.0",
	"CC-BY-ND-4.0",
	"CC-BY-SA-2.0",
	"CC-BY-SA-3.0",
	"CC-BY-SA-4.0",
	"CC-PDDC",
	"CC0-1.0",
	"CDDL-1.0",
	"CDDL-1.1",
	"CECILL-2.1",
	"CECILL-B",
	"CECILL-C",
	"ClArtistic",
	"CPAL-1.0",
	"CPL-1.0",
	"curl",
	"ECL-2.0",
	"EFL-2.0",
	"EPL-1.0",
	"EPL-2.0",
	"ErlPL-1.1",
	"EUPL-1.1",
	"EUPL-1.2",
	"FSFAP",
	"FSFUL",
	"FSFULLR",
	"FTL",
	"GFDL-1.1-only",
	"GFDL-1.1-or-later",
	"GFDL-1.2-only",
	"GFDL-1.2-or-later",
	"GFDL-1.3-only",
	"GFDL-1.3-no-invariants-only",
	"GFDL-1.3-no-invariants-or-later",
	"GFDL-1.3-or-later",
	"GPL-1.0-only",
	"GPL-1.0-or-later",
	"GPL-2.0-only",
	"GPL-2.0-or-later",
	"GPL-3.0-only",
	"GPL-3.0-or-later",
	"HPND",
	"HPND-sell-variant",
	"ICU",
	"IJG",
	"ImageMagick",
	"Info-ZIP",
	"Intel",
	"IPA",
	"IPL-1.0",
	"ISC",
	"JasPer-2.0",
	"JSON",
	"Kazlib",
	"Latex2e",
	"LGPL-2.0-only",
	"LGPL-2.0-or-later",
	"LGPL-2.1-only",
	"LGPL-2.1-or-later",
	"LGPL-3.0-only",
	"LGPL-3.0-or-later",
	"Libpng",
	"libpng-2.0",
	"libtiff",
	"LPL-1.02",
	"LPPL-1.3c",
	"MirOS",
	"MIT",
	"MIT-0",
	"MIT-CMU",
	"MIT-Modern-Variant",
	"MIT-open-group",
	"MITNFA",
	"MPL-1.0",
	"MPL-1.1",
	"MPL-2.0",
	"MPL-2.0-no-copyleft-exception",
	"MS-PL",
	"MS-RL",
	"MulanPSL-2.0",
	"NCSA",
	"Net-SNMP",
	"NLPL",
	"NTP",
	"OFL-1.0",
	"OFL-1.1",
	"OGL-UK-3.0",
	"OLDAP-2.8",
	"OpenSSL",
	"OSL-1.0",
	"OSL-2.0",
	"OSL-2.1",
	"OSL-3.0",
	"PHP-3.0",
	"PHP-3.01",
	"PostgreSQL",
	"PSF-2.0",
	"Python-2.0",
	"Python-2.0.1",
	"QPL-1.0",
	"Ruby",
	"Sendmail",
	"SGI-B-2.0",
	"SISSL",
	"Sleepycat",
	"SMAIL-GPL",
	"SMLNJ",
	"Spencer-86",
	"SPL-1.0",
	"SSPL-1.0",
	"TCL",
	"TCP-wrappers",
	"UCL-1.0",
	"Unicode-3.0",
	"Unicode-DFS-2015",
	"Unicode-DFS-2016",
	"Unlicense",
	"UPL-1.0",
	"Vim",
	"W3C",
	"W3C-20150513",
	"WTFPL",
	"X11",
	"XFree86-1.1",
	"Xnet",
	"Zend-2.0",
	"Zlib",
	"zlib-acknowledgement",
	"ZPL-2.0",
	"ZPL-2.1",
	NULL,
};

/* Other spellings (deprecated ids, Debian names, prose) -> id. */
static const char *const aliases[][2] = {
	{ "GPL-1.0", "GPL-1.0-only" },
	{ "GPL-1.0+", "GPL-1.0-or-later" },
	{ "GPL-2.0", "GPL-2.0-only" },
	{ "GPL-2.0+", "GPL-2.0-or-later" },
	{ "GPL-3.0", "GPL-3.0-only" },
	{ "GPL-3.0+", "GPL-3.0-or-later" },
	{ "LGPL-2.0", "LGPL-2.0-only" },
	{ "LGPL-2.0+", "LGPL-2.0-or-later" },
	{ "LGPL-2.1", "LGPL-2.1-only" },
	{ "LGPL-2.1+", "LGPL-2.1-or-later" },
	{ "LGPL-3.0", "LGPL-3.0-only" },
	{ "LGPL-3.0+", "LGPL-3.0-or-later" },
	{ "AGPL-3.0", "AGPL-3.0-only" },
	{ "AGPL-3.0+", "AGPL-3.0-or-later" },
	{ "GFDL-1.2", "GFDL-1.2-only" },
	{ "GFDL-1.3", "GFDL-1.3-only" },
	{ "GPL-1", "GPL-1.0-only" },
	{ "GPL-2", "GPL-2.0-only" },
	{ "GPL-3", "GPL-3.0-only" },
	{ "GPLv2", "GPL-2.0-only" },
	{ "GPLv2+", "GPL-2.0-or-later" },
	{ "GPLv3", "GPL-3.0-only" },
	{ "GPLv3+", "GPL-3.0-or-later" },
	{ "GPL2", "GPL-2.0-only" },
	{ "GPL3", "GPL-3.0-only" },
	{ "LGPL-2", "LGPL-2.0-only" },
	{ "LGPL-3", "LGPL-3.0-only" },
	{ "LGPLv2", "LGPL-2.0-only" },
	{ "LGPLv2+", "LGPL-2.0-or-later" },
	{ "LGPLv2.1", "LGPL-2.1-only" },
	{ "LGPLv2.1+", "LGPL-2.1-or-later" },
	{ "LGPLv3", "LGPL-3.0-only" },
	{ "LGPLv3+", "LGPL-3.0-or-later" },
	{ "AGPL-3", "AGPL-3.0-only" },
	{ "AGPLv3", "AGPL-3.0-only" },
	{ "AGPLv3+", "AGPL-3.0-or-later" },
	{ "GFDL-1.2+", "GFDL-1.2-or-later" },
	{ "GFDL-1.3+", "GFDL-1.3-or-later" },
	{ "GFDL-NIV-1.3", "GFDL-1.3-no-invariants-only" },
	{ "GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later" },
	{ "GFDL-1.3+-no-invariant", "GFDL-1.3-no-invariants-or-later" },
	{ "BSD-tcp_wrappers", "TCP-wrappers" },
	{ "GNU General Public License v2 (GPLv2)", "GPL-2.0-only" },
	{ "GNU General Public License v2 or later (GPLv2+)",
	  "GPL-2.0-or-later" },
	{ "GNU General Public License v3 (GPLv3)", "GPL-3.0-only" },
	{ "GNU General Public License v3 or later (GPLv3+)",
	  "GPL-3.0-or-later" },
	{ "GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only" },
	{ "GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only" },
	{ "GNU Library or Lesser General Public License (LGPL)", NULL },
	{ "Apache 2.0", "Apache-2.0" },
	{ "Apache 2", "Apache-2.0" },
	{ "Apache-2", "Apache-2.0" },
	{ "Apache2", "Apache-2.0" },
	{ "Apache License 2.0", "Apache-2.0" },
	{ "Apache License, Version 2.0", "Apache-2.0" },
	{ "Apache License Version 2.0", "Apache-2.0" },
	{ "Apache Software License", "Apache-2.0" },
	{ "Apache Software License 2.0", "Apache-2.0" },
	{ "The Apache Software License, Version 2.0", "Apache-2.0" },
	{ "The Apache License, Version 2.0", "Apache-2.0" },
	{ "ASL 2.0", "Apache-2.0" },
	{ "ASL-2.0", "Apache-2.0" },
	{ "Apache License, Version 1.1", "Apache-1.1" },
	{ "MIT License", "MIT" },
	{ "The MIT License", "MIT" },
	{ "The MIT License (MIT)", "MIT" },
	{ "MIT/X11", "MIT" },
	{ "Expat", "MIT" },
	{ "MIT-style", NULL },
	{ "BSD-2-clause", "BSD-2-Clause" },
	{ "BSD 2-Clause", "BSD-2-Clause" },
	{ "BSD 2-Clause License", "BSD-2-Clause" },
	{ "Simplified BSD", "BSD-2-Clause" },
	{ "FreeBSD", "BSD-2-Clause" },
	{ "BSD-3", "BSD-3-Clause" },
	{ "BSD 3-Clause", "BSD-3-Clause" },
	{ "BSD 3-Clause License", "BSD-3-Clause" },
	{ "New BSD", "BSD-3-Clause" },
	{ "New BSD License", "BSD-3-Clause" },
	{ "Modified BSD License", "BSD-3-Clause" },
	{ "Revised BSD License", "BSD-3-Clause" },
	{ "BSD-4", "BSD-4-Clause" },
	{ "BSD 4-Clause", "BSD-4-Clause" },
	{ "Original BSD", "BSD-4-Clause" },
	{ "BSD", NULL },
	{ "BSD License", NULL },
	{ "ISC License", "ISC" },
	{ "ISC License (ISCL)", "ISC" },
	{ "MPL 2.0", "MPL-2.0" },
	{ "MPL2", "MPL-2.0" },
	{ "MPLv2.0", "MPL-2.0" },
	{ "Mozilla Public License 2.0", "MPL-2.0" },
	{ "Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0" },
	{ "MPL 1.1", "MPL-1.1" },
	{ "EPL 1.0", "EPL-1.0" },
	{ "EPL 2.0", "EPL-2.0" },
	{ "Eclipse Public License 1.0", "EPL-1.0" },
	{ "Eclipse Public License - v 1.0", "EPL-1.0" },
	{ "Eclipse Public License 2.0", "EPL-2.0" },
	{ "Eclipse Public License - v 2.0", "EPL-2.0" },
	{ "CDDL 1.0", "CDDL-1.0" },
	{ "CDDL 1.1", "CDDL-1.1" },
	{ "Artistic", "Artistic-1.0" },
	{ "Artistic 2.0", "Artistic-2.0" },
	{ "Perl", "Artistic-1.0-Perl" },
	{ "PSF", "PSF-2.0" },
	{ "PSFL", "PSF-2.0" },
	{ "PSF License", "PSF-2.0" },
	{ "Python Software Foundation License", "PSF-2.0" },
	{ "Python-2", "Python-2.0" },
	{ "Zlib License", "Zlib" },
	{ "zlib/libpng", "Zlib" },
	{ "Boost", "BSL-1.0" },
	{ "Boost Software License 1.0", "BSL-1.0" },
	{ "Boost Software License 1.0 (BSL-1.0)", "BSL-1.0" },
	{ "CC0", "CC0-1.0" },
	{ "CC0 1.0 Universal", "CC0-1.0" },
	{ "Public Domain (CC0)", "CC0-1.0" },
	{ "CC-BY-SA-3", "CC-BY-SA-3.0" },
	{ "CC-BY-3", "CC-BY-3.0" },
	{ "CC-BY-4", "CC-BY-4.0" },
	{ "The Unlicense", "Unlicense" },
	{ "The Unlicense (Unlicense)", "Unlicense" },
	{ "WTFPL-2", "WTFPL" },
	{ "OpenSSL License", "OpenSSL" },
	{ "Ruby License", "Ruby" },
	{ "PHP License", "PHP-3.01" },
	{ "Universal Permissive License v1.0", "UPL-1.0" },
	{ "SIL Open Font License 1.1", "OFL-1.1" },
	{ "OFL 1.1", "OFL-1.1" },
	{ "Sleepycat License", "Sleepycat" },
	{ "eCos-2.0", NULL },
	{ "public-domain", NULL },
	{ "Public Domain", NULL },
	{ "other", NULL },
	{ "permissive", NULL },
	{ "GPL", NULL },
	{ "LGPL", NULL },
	{ NULL, NULL },
};

/* s (n bytes) equals lit, ignoring case. */
static bool eqn(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncasecmp(s, lit, n);
}

static const char *find_id(const char *s, size_t n)
{
	size_t i;

	for (i = 0; ids[i]; i++) {
		if (eqn(s, n, ids[i]))
			return ids[i];
	}
	return NULL;
}

/* The id for s (n bytes), ignoring case; *known set when s was listed. */
static const char *lookup(const char *s, size_t n, bool *known)
{
	const char *id = find_id(s, n);
	size_t i;

	*known = id != NULL;
	for (i = 0; !id && aliases[i][0]; i++) {
		if (eqn(s, n, aliases[i][0])) {
			*known = true;
			return aliases[i][1];
		}
	}
	return id;
}

/* "GPL-2+" and friends: the -or-later id of the base's -only id. */
static const char *or_later(const char *s, size_t n)
{
	char want[LICENSE_MAX];
	const char *base, *only;
	bool known;

	base = lookup(s, n, &known);
	if (!base)
		return NULL;
	only = strstr(base, "-only");
	if (!only || only[5])
		return NULL;
	if ((size_t)(only - base) + 10 >= sizeof(want))
		return NULL;
	memcpy(want, base, (size_t)(only - base));
	memcpy(want + (only - base), "-or-later", 10);
	return find_id(want, strlen(want));
}

static const char *spdx_idn(const char *s, size_t n)
{
	const char *id;
	bool known;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || n >= LICENSE_MAX)
		return NULL;
	id = lookup(s, n, &known);
	if (known)
		return id;
	if (s[n - 1] == '+')
		return or_later(s, n - 1);
	return NULL;
}

const char *customs_license_spdx_id(const char *declared)
{
	return declared ? spdx_idn(declared, strlen(declared)) : NULL;
}

/* ---- expressions ---- */

static const char *const exceptions[] = {
	"Autoconf-exception-2.0",
	"Autoconf-exception-3.0",
	"Bison-exception-2.2",
	"Bootloader-exception",
	"Classpath-exception-2.0",
	"FLTK-exception",
	"Font-exception-2.0",
	"GCC-exception-2.0",
	"GCC-exception-3.1",
	"LGPL-3.0-linking-exception",
	"Libtool-exception",
	"Linux-syscall-note",
	"LLVM-exception",
	"OCaml-LGPL-linking-exception",
	"OpenJDK-assembly-exception-1.0",
	"OpenSSL-exception",
	"Qt-LGPL-exception-1.1",
	"Universal-FOSS-exception-1.0",
	"WxWindows-exception-3.1",
	NULL,
};

struct lexer {
	const char *p;
	struct cbuf *out;
	int depth;
	bool bad;
};

static bool idchar(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '+' ||
	       c == ':';
}

static void skip_blank(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
}

/* The next word (id or operator) without consuming it. */
static size_t peek_word(struct lexer *lx)
{
	size_t n = 0;

	skip_blank(lx);
	while (idchar(lx->p[n]))
		n++;
	return n;
}

static bool is_op(const char *s, size_t n)
{
	return eqn(s, n, "AND") || eqn(s, n, "OR") || eqn(s, n, "WITH");
}

static void put_license(struct lexer *lx)
{
	size_t n = peek_word(lx), i;
	const char *id;

	if (!n || is_op(lx->p, n)) {
		lx->bad = true;
		return;
	}
	if (n > 11 && !strncmp(lx->p, "LicenseRef-", 11)) {
		cbuf_put(lx->out, lx->p, n);
	} else if ((id = spdx_idn(lx->p, n))) {
		cbuf_puts(lx->out, id);
	} else {
		lx->bad = true;
		return;
	}
	lx->p += n;
	n = peek_word(lx);
	if (!eqn(lx->p, n, "WITH"))
		return;
	lx->p += n;
	n = peek_word(lx);
	for (i = 0; exceptions[i]; i++) {
		if (eqn(lx->p, n, exceptions[i])) {
			cbuf_printf(lx->out, " WITH %s", exceptions[i]);
			lx->p += n;
			return;
		}
	}
	lx->bad = true;
}

static void parse_or(struct lexer *lx);

static void parse_atom(struct lexer *lx)
{
	skip_blank(lx);
	if (*lx->p != '(') {
		put_license(lx);
		return;
	}
	if (++lx->depth > 16) {
		lx->bad = true;
		return;
	}
	lx->p++;
	cbuf_putc(lx->out, '(');
	parse_or(lx);
	skip_blank(lx);
	if (*lx->p != ')') {
		lx->bad = true;
		return;
	}
	lx->p++;
	lx->depth--;
	cbuf_putc(lx->out, ')');
}

static void parse_and(struct lexer *lx)
{
	size_t n;

	parse_atom(lx);
	while (!lx->bad && (n = peek_word(lx)) && eqn(lx->p, n, "AND")) {
		lx->p += n;
		cbuf_puts(lx->out, " AND ");
		parse_atom(lx);
	}
}

static void parse_or(struct lexer *lx)
{
	size_t n;

	parse_and(lx);
	while (!lx->bad && (n = peek_word(lx)) && eqn(lx->p, n, "OR")) {
		lx->p += n;
		cbuf_puts(lx->out, " OR ");
		parse_and(lx);
	}
}

int customs_license_expression(char **out, const char *declared)
{
	struct cbuf b;
	struct lexer lx;
	int rc = 0;

	*out = NULL;
	if (!declared || strlen(declared) > 4096)
		return 0;
	cbuf_init(&b, 8192);
	lx.p = declared;
	lx.out = &b;
	lx.depth = 0;
	lx.bad = false;
	parse_or(&lx);
	skip_blank(&lx);
	if (cbuf_error(&b) == CUSTOMS_ENOMEM)
		rc = CUSTOMS_ENOMEM;
	else if (!lx.bad && !*lx.p && !cbuf_error(&b) &&
		 !(*out = cbuf_detach(&b)))
		rc = CUSTOMS_ENOMEM;
	cbuf_release(&b);
	return rc;
}

/*
 * Unit tests of distro detection (analyze/distro.c, analyze/osrelease.c)
 * and of the guessed and user-supplied Dockerfiles (image/dockerfile.c).
 * Release file contents are copied from real images.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "customs/analyze.h"
#include "customs/image.h"
#include "image/dockerfile.h"
#include "util/banned.h"

#define MAX_FILES 8

struct files {
	const char *paths[MAX_FILES];
	const unsigned char *data[MAX_FILES];
	size_t lens[MAX_FILES];
	size_t n;
};

static void add_bin(struct files *f, const char *path, const void *data,
		    size_t len)
{
	assert_true(f->n < MAX_FILES);
	f->paths[f->n] = path;
	f->data[f->n] = data;
	f->lens[f->n] = len;
	f->n++;
}

static void add(struct files *f, const char *path, const char *text)
{
	add_bin(f, path, text, strlen(text));
}

static struct customs_distro *detect(const struct files *f)
{
	struct customs_distro *d = (struct customs_distro *)1;

	assert_int_equal(
		customs_distro_detect(&d, f->paths, f->data, f->lens, f->n), 0);
	return d;
}

/* Detect from one os-release file; the result must exist. */
static struct customs_distro *detect_os(const char *text)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", text);
	d = detect(&f);
	assert_non_null(d);
	return d;
}

static const char debian12_os[] =
	"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
	"NAME=\"Debian GNU/Linux\"\n"
	"VERSION_ID=\"12\"\n"
	"VERSION=\"12 (bookworm)\"\n"
	"VERSION_CODENAME=bookworm\n"
	"ID=debian\n"
	"HOME_URL=\"https://www.debian.org/\"\n"
	"SUPPORT_URL=\"https://www.debian.org/support\"\n"
	"BUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

static const char ubuntu2204_os[] =
	"PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\n"
	"NAME=\"Ubuntu\"\n"
	"VERSION_ID=\"22.04\"\n"
	"VERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\n"
	"VERSION_CODENAME=jammy\n"
	"ID=ubuntu\n"
	"ID_LIKE=debian\n"
	"HOME_URL=\"https://www.ubuntu.com/\"\n"
	"SUPPORT_URL=\"https://help.ubuntu.com/\"\n"
	"BUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\n"
	"PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/"
	"privacy-policy\"\n"
	"UBUNTU_CODENAME=jammy\n";

static const char alpine318_os[] =
	"NAME=\"Alpine Linux\"\n"
	"ID=alpine\n"
	"VERSION_ID=3.18.4\n"
	"PRETTY_NAME=\"Alpine Linux v3.18\"\n"
	"HOME_URL=\"https://alpinelinux.org/\"\n"
	"BUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/"
	"issues\"\n";

static const char ubi8_os[] =
	"NAME=\"Red Hat Enterprise Linux\"\n"
	"VERSION=\"8.8 (Ootpa)\"\n"
	"ID=\"rhel\"\n"
	"ID_LIKE=\"fedora\"\n"
	"VERSION_ID=\"8.8\"\n"
	"PLATFORM_ID=\"platform:el8\"\n"
	"PRETTY_NAME=\"Red Hat Enterprise Linux 8.8 (Ootpa)\"\n"
	"ANSI_COLOR=\"0;31\"\n"
	"LOGO=\"fedora-logo-icon\"\n"
	"CPE_NAME=\"cpe:/o:redhat:enterprise_linux:8::baseos\"\n"
	"HOME_URL=\"https://www.redhat.com/\"\n"
	"DOCUMENTATION_URL=\"https://access.redhat.com/documentation/en-us/"
	"red_hat_enterprise_linux/8\"\n"
	"BUG_REPORT_URL=\"https://bugzilla.redhat.com/\"\n"
	"\n"
	"REDHAT_BUGZILLA_PRODUCT=\"Red Hat Enterprise Linux 8\"\n"
	"REDHAT_BUGZILLA_PRODUCT_VERSION=8.8\n"
	"REDHAT_SUPPORT_PRODUCT=\"Red Hat Enterprise Linux\"\n"
	"REDHAT_SUPPORT_PRODUCT_VERSION=\"8.8\"\n";

static const char amzn2_os[] = "NAME=\"Amazon Linux\"\n"
			       "VERSION=\"2\"\n"
			       "ID=\"amzn\"\n"
			       "ID_LIKE=\"centos rhel fedora\"\n"
			       "VERSION_ID=\"2\"\n"
			       "PRETTY_NAME=\"Amazon Linux 2\"\n"
			       "ANSI_COLOR=\"0;33\"\n"
			       "CPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2\"\n"
			       "HOME_URL=\"https://amazonlinux.com/\"\n"
			       "SUPPORT_END=\"2025-06-30\"\n";

static const char distroless_os[] =
	"PRETTY_NAME=\"Distroless\"\n"
	"NAME=\"Debian GNU/Linux\"\n"
	"ID=\"debian\"\n"
	"VERSION_ID=\"12\"\n"
	"VERSION=\"Debian GNU/Linux 12 (bookworm)\"\n"
	"HOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"
	"SUPPORT_URL=\"https://github.com/GoogleContainerTools/distroless/blob/"
	"master/README.md\"\n"
	"BUG_REPORT_URL=\"https://github.com/GoogleContainerTools/distroless/"
	"issues/new\"\n";

static const char sid_os[] = "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n"
			     "NAME=\"Debian GNU/Linux\"\n"
			     "VERSION_CODENAME=trixie\n"
			     "ID=debian\n"
			     "HOME_URL=\"https://www.debian.org/\"\n"
			     "SUPPORT_URL=\"https://www.debian.org/support\"\n"
			     "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

/* ---- real images ---- */

static void test_distro_debian12(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	/* In the image etc/os-release is a symlink: only usr/lib has it. */
	add(&f, "usr/lib/os-release", debian12_os);
	add(&f, "etc/debian_version", "12.5\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "12");
	assert_string_equal(d->version, "12.5");
	assert_string_equal(d->pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(d->codename, "bookworm");
	assert_null(d->id_like);
	assert_null(d->cpe);
	assert_string_equal(d->source, "usr/lib/os-release");
	customs_distro_free(d);
}

static void test_distro_ubuntu2204(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", ubuntu2204_os);
	add(&f, "etc/debian_version", "bookworm/sid\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "ubuntu");
	assert_string_equal(d->version_id, "22.04");
	assert_null(d->version); /* debian_version is Debian's, not Ubuntu's */
	assert_string_equal(d->id_like, "debian");
	assert_string_equal(d->codename, "jammy");
	assert_string_equal(d->pretty_name, "Ubuntu 22.04.3 LTS");
	assert_string_equal(d->source, "etc/os-release");
	customs_distro_free(d);
}

static void test_distro_alpine318(void **state)
{
	static const char busybox[] = "\x7f"
				      "ELF\0\0BusyBox v1.36.1 (2023-07-27)\0";
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", alpine318_os);
	add(&f, "etc/alpine-release", "3.18.4\n");
	add_bin(&f, "bin/busybox", busybox, sizeof(busybox));
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "alpine");
	assert_string_equal(d->version_id, "3.18.4");
	assert_string_equal(d->version, "3.18.4");
	assert_string_equal(d->pretty_name, "Alpine Linux v3.18");
	assert_string_equal(d->source, "etc/os-release");
	customs_distro_free(d);
}

static void test_distro_rhel8_ubi(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", ubi8_os);
	add(&f, "etc/system-release-cpe",
	    "cpe:/o:redhat:enterprise_linux:8.8:ga\n");
	add(&f, "etc/redhat-release",
	    "Red Hat Enterprise Linux release 8.8 (Ootpa)\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "rhel");
	assert_string_equal(d->version_id, "8.8");
	assert_string_equal(d->version, "8.8");
	assert_string_equal(d->id_like, "fedora");
	/* os-release's CPE_NAME wins over system-release-cpe. */
	assert_string_equal(d->cpe, "cpe:/o:redhat:enterprise_linux:8::baseos");
	assert_string_equal(d->source, "etc/os-release");
	customs_distro_free(d);
}

static void test_distro_centos7_redhat_release_only(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "centos");
	assert_string_equal(d->version_id, "7");
	assert_string_equal(d->version, "7.9.2009");
	assert_string_equal(d->pretty_name,
			    "CentOS Linux release 7.9.2009 (Core)");
	assert_null(d->cpe);
	assert_string_equal(d->source, "etc/redhat-release");
	customs_distro_free(d);
}

static void test_distro_redhat_release_names(void **state)
{
	static const struct {
		const char *line, *id, *version_id, *version;
	} cases[] = {
		{ "Red Hat Enterprise Linux Server release 7.9 (Maipo)", "rhel",
		  "7", "7.9" },
		{ "Fedora release 38 (Thirty Eight)", "fedora", "38", "38" },
		{ "Rocky Linux release 9.2 (Blue Onyx)", "rocky", "9", "9.2" },
		{ "AlmaLinux release 8.8 (Sapphire Caracal)", "almalinux", "8",
		  "8.8" },
		{ "CentOS Stream release 8", "centos", "8", "8" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct files f = { 0 };
		struct customs_distro *d;

		add(&f, "etc/redhat-release", cases[i].line);
		d = detect(&f);
		assert_non_null(d);
		assert_string_equal(d->id, cases[i].id);
		assert_string_equal(d->version_id, cases[i].version_id);
		assert_string_equal(d->version, cases[i].version);
		customs_distro_free(d);
	}
}

static void test_distro_redhat_release_unknown(void **state)
{
	struct files f = { 0 };

	add(&f, "etc/redhat-release", "Acme OS release 1.0\n");
	assert_null(detect(&f));
	f.n = 0;
	add(&f, "etc/redhat-release", "CentOS Linux (Core)\n");
	assert_null(detect(&f));
}

static void test_distro_centos7_cpe_and_redhat_release(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/system-release-cpe", "cpe:/o:centos:centos:7\n");
	add(&f, "etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "centos");
	assert_string_equal(d->version_id, "7");
	assert_string_equal(d->version, "7.9.2009");
	assert_string_equal(d->cpe, "cpe:/o:centos:centos:7");
	assert_string_equal(d->source, "etc/system-release-cpe");
	customs_distro_free(d);
}

static void test_distro_amazon_linux2(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", amzn2_os);
	add(&f, "etc/system-release-cpe", "cpe:2.3:o:amazon:amazon_linux:2\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "amzn");
	assert_string_equal(d->version_id, "2");
	assert_string_equal(d->id_like, "centos rhel fedora");
	assert_string_equal(d->cpe, "cpe:2.3:o:amazon:amazon_linux:2");
	assert_string_equal(d->pretty_name, "Amazon Linux 2");
	customs_distro_free(d);
}

static void test_distro_cpe_only(void **state)
{
	static const struct {
		const char *cpe, *id, *version_id;
	} cases[] = {
		{ "cpe:/o:redhat:enterprise_linux:8.4:ga", "rhel", "8.4" },
		{ "cpe:2.3:o:amazon:amazon_linux:2", "amzn", "2" },
		{ "cpe:/o:amazon:linux:2018.03:ga", "amzn", "2018.03" },
		{ "cpe:/o:fedoraproject:fedora:38", "fedora", "38" },
		{ "cpe:/o:oracle:linux:8:8:server", "ol", "8" },
		{ "cpe:/o:rocky:rocky:9::baseos", "rocky", "9" },
		{ "cpe:/o:almalinux:almalinux:8::baseos", "almalinux", "8" },
		{ "cpe:2.3:o:centos:centos:7:*:*:*:*:*:*:*", "centos", "7" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct files f = { 0 };
		struct customs_distro *d;

		add(&f, "etc/system-release-cpe", cases[i].cpe);
		d = detect(&f);
		assert_non_null(d);
		assert_string_equal(d->id, cases[i].id);
		assert_string_equal(d->version_id, cases[i].version_id);
		assert_string_equal(d->cpe, cases[i].cpe);
		assert_string_equal(d->source, "etc/system-release-cpe");
		customs_distro_free(d);
	}
}

static void test_distro_cpe_unknown_vendor(void **state)
{
	struct files f = { 0 };

	add(&f, "etc/system-release-cpe", "cpe:/o:acme:acmeos:1\n");
	assert_null(detect(&f));
	f.n = 0;
	add(&f, "etc/system-release-cpe", "not a cpe\n");
	assert_null(detect(&f));
}

static void test_distro_cpe_wildcard_version(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/system-release-cpe", "cpe:2.3:o:centos:centos:*\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "centos");
	assert_null(d->version_id);
	customs_distro_free(d);
}

static void test_distro_distroless(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", distroless_os);
	add(&f, "etc/debian_version", "12.4\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "12");
	assert_string_equal(d->version, "12.4");
	assert_string_equal(d->pretty_name, "Distroless");
	assert_null(d->codename);
	customs_distro_free(d);
}

static void test_distro_busybox(void **state)
{
	static const char bin[] =
		"\x7f"
		"ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0BusyBox v\0\0"
		"BusyBox is copyrighted by many authors\0\0\0"
		"BusyBox v1.36.1 (2023-05-18 22:34:17 UTC)\0multi-call binary";
	struct files f = { 0 };
	struct customs_distro *d;

	add_bin(&f, "bin/busybox", bin, sizeof(bin) - 1);
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "busybox");
	assert_string_equal(d->version_id, "1.36.1");
	assert_null(d->version);
	assert_string_equal(d->source, "bin/busybox");
	customs_distro_free(d);
}

static void test_distro_busybox_without_version(void **state)
{
	static const char bin[] = "\0\0BusyBox v\0BusyBox vX";
	struct files f = { 0 };

	add_bin(&f, "bin/busybox", bin, sizeof(bin) - 1);
	assert_null(detect(&f));
}

static void test_distro_debian_sid(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", sid_os);
	add(&f, "etc/debian_version", "trixie/sid\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_null(d->version_id);
	assert_null(d->version);
	assert_string_equal(d->codename, "trixie");
	customs_distro_free(d);
}

static void test_distro_debian_sid_codename_from_debian_version(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian sid\"\n");
	add(&f, "etc/debian_version", "trixie/sid\n");
	d = detect(&f);
	assert_non_null(d);
	assert_null(d->version_id);
	assert_string_equal(d->codename, "trixie");
	customs_distro_free(d);
}

static void test_distro_debian_version_only(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/debian_version", "11.9\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "11");
	assert_string_equal(d->version, "11.9");
	assert_string_equal(d->source, "etc/debian_version");
	customs_distro_free(d);

	f.n = 0;
	add(&f, "etc/debian_version", "bookworm/sid");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_null(d->version_id);
	assert_string_equal(d->codename, "bookworm");
	customs_distro_free(d);

	f.n = 0;
	add(&f, "etc/debian_version", "\x01garbage!\n");
	assert_null(detect(&f));
}

static void test_distro_alpine_release_only(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/alpine-release", "3.18.4\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "alpine");
	assert_string_equal(d->version_id, "3.18.4");
	assert_string_equal(d->version, "3.18.4");
	assert_string_equal(d->source, "etc/alpine-release");
	customs_distro_free(d);

	f.n = 0;
	add(&f, "etc/alpine-release", "not a version\n");
	assert_null(detect(&f));
}

static void test_distro_nothing(void **state)
{
	struct files f = { 0 };

	assert_null(detect(&f));
	add(&f, "etc/os-release", "");
	add(&f, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	add_bin(&f, "usr/lib/os-release", NULL, 0);
	assert_null(detect(&f));
}

static void test_distro_leading_slash_and_first_wins(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "/etc/os-release", "ID=first\n");
	add(&f, "etc/os-release", "ID=second\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "first");
	assert_string_equal(d->source, "etc/os-release");
	customs_distro_free(d);
}

/* ---- precedence ---- */

static void test_distro_os_release_without_id_falls_through(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", "NAME=\"Broken\"\nVERSION_ID=99\n");
	add(&f, "usr/lib/os-release", debian12_os);
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "12");
	assert_string_equal(d->source, "usr/lib/os-release");
	customs_distro_free(d);

	f.n = 0;
	add(&f, "etc/os-release", "NAME=\"Broken\"\nVERSION_ID=99\n");
	add(&f, "etc/debian_version", "12.5\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->version_id, "12");
	assert_string_equal(d->source, "etc/debian_version");
	customs_distro_free(d);
}

static void test_distro_etc_wins_over_usr_lib(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "usr/lib/os-release", debian12_os);
	add(&f, "etc/os-release", ubuntu2204_os);
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "ubuntu");
	assert_string_equal(d->source, "etc/os-release");
	customs_distro_free(d);
}

static void test_distro_os_release_wins_over_redhat_release(void **state)
{
	struct files f = { 0 };
	struct customs_distro *d;

	add(&f, "etc/os-release", "ID=ol\nVERSION_ID=\"8.8\"\n");
	add(&f, "etc/redhat-release",
	    "Red Hat Enterprise Linux release 8.8 (Ootpa)\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "ol");
	assert_null(d->version); /* another distro's file says nothing */
	assert_null(d->pretty_name);
	customs_distro_free(d);
}

static void test_distro_busybox_only_when_nothing_else(void **state)
{
	static const char bin[] = "\0BusyBox v1.36.1 (2023)\0";
	struct files f = { 0 };
	struct customs_distro *d;

	add_bin(&f, "bin/busybox", bin, sizeof(bin));
	add(&f, "etc/debian_version", "12.5\n");
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	customs_distro_free(d);
}

/* ---- os-release syntax ---- */

static void test_distro_quoting_single(void **state)
{
	struct customs_distro *d =
		detect_os("ID='it''s'\nPRETTY_NAME='a \"b\" $c \\d'\n");

	assert_string_equal(d->id, "its");
	assert_string_equal(d->pretty_name, "a \"b\" $c \\d");
	customs_distro_free(d);
}

static void test_distro_quoting_double_escapes(void **state)
{
	struct customs_distro *d = detect_os(
		"ID=x\n"
		"PRETTY_NAME=\"say \\\"hi\\\" \\$HOME \\\\ \\` \\n end\"\n");

	/* \" \$ \\ \` unescape; any other backslash is kept. */
	assert_string_equal(d->pretty_name, "say \"hi\" $HOME \\ ` \\n end");
	customs_distro_free(d);
}

static void test_distro_quoting_unquoted(void **state)
{
	struct customs_distro *d = detect_os("ID=debian   \nVERSION_ID=1\\ 2\n"
					     "PRETTY_NAME=Plain words here\t \n"
					     "ID_LIKE=\"rhel \"'fedora'\n");

	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "1 2");
	assert_string_equal(d->pretty_name, "Plain words here");
	assert_string_equal(d->id_like, "rhel fedora");
	customs_distro_free(d);
}

static void test_distro_quoting_keeps_quoted_spaces(void **state)
{
	struct customs_distro *d = detect_os("ID=x\nPRETTY_NAME=\"  a  \"\n");

	assert_string_equal(d->pretty_name, "  a  ");
	customs_distro_free(d);
}

static void test_distro_whitespace_crlf_comments(void **state)
{
	struct customs_distro *d = detect_os("# ID=comment\r\n"
					     "; ID=also-comment\r\n"
					     "\r\n"
					     "   ID = debian\r\n"
					     "VERSION_ID=\"12\"\r\n"
					     "  # VERSION_ID=13\r\n");

	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version_id, "12");
	customs_distro_free(d);
}

static void test_distro_last_assignment_wins(void **state)
{
	struct customs_distro *d =
		detect_os("ID=first\nVERSION_ID=1\nID=second\nVERSION_ID=\n");

	assert_string_equal(d->id, "second");
	assert_null(d->version_id);
	customs_distro_free(d);
}

static void test_distro_empty_id_is_absent(void **state)
{
	struct files f = { 0 };

	add(&f, "etc/os-release", "ID=\"\"\nVERSION_ID=1\n");
	assert_null(detect(&f));
}

static void test_distro_malformed_lines_skipped(void **state)
{
	struct customs_distro *d = detect_os("this is not an assignment\n"
					     "=novalue\n"
					     "1ID=digit-first\n"
					     "I-D=dash\n"
					     "ID\n"
					     "ID=\"unterminated\n"
					     "PRETTY_NAME='unterminated too\n"
					     "VERSION_ID=dangling\\\n"
					     "CPE_NAME=\"escaped end\\\"\n"
					     "ID=good\n"
					     "VERSION_ID=\"1\"\n");

	assert_string_equal(d->id, "good");
	assert_string_equal(d->version_id, "1");
	assert_null(d->pretty_name);
	assert_null(d->cpe);
	customs_distro_free(d);
}

static void test_distro_only_malformed_is_nothing(void **state)
{
	struct files f = { 0 };

	add(&f, "etc/os-release", "ID=\"open\nID 'x'\n\"ID\"=y\n");
	assert_null(detect(&f));
}

static void test_distro_nul_bytes(void **state)
{
	static const char text[] = "ID=deb\0ian\nI\0D=bad\nVERSION_ID=\"1\0\"\n"
				   "PRETTY_NAME=\0\n";
	struct files f = { 0 };
	struct customs_distro *d;

	add_bin(&f, "etc/os-release", text, sizeof(text) - 1);
	d = detect(&f);
	assert_non_null(d);
	assert_string_equal(d->id, "deb?ian");
	assert_string_equal(d->version_id, "1?");
	assert_string_equal(d->pretty_name, "?");
	customs_distro_free(d);
}

static void test_distro_control_bytes_replaced(void **state)
{
	struct customs_distro *d = detect_os(
		"ID=x\n"
		"PRETTY_NAME=\"\x1b[31mred\x7f\tTab\"\n"
		/* U+009B (C1 CSI), U+202E (RLO), 0xff, a lone continuation */
		"VERSION_ID=\"a\xc2\x9b"
		"b\xe2\x80\xae"
		"c\xff"
		"d\x80"
		"e\"\n"
		/* overlong "/" and an encoded surrogate */
		"ID_LIKE=\"\xc0\xaf\xed\xa0\x80\"\n"
		"VERSION_CODENAME=\"Caf\xc3\xa9 \xe2\x82\xac "
		"\xf0\x9f\x90\xb3\"\n");

	assert_string_equal(d->pretty_name, "?[31mred??Tab");
	assert_string_equal(d->version_id, "a??b???c?d?e");
	assert_string_equal(d->id_like, "?????");
	/* Valid UTF-8 text stays as it is. */
	assert_string_equal(d->codename,
			    "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
	customs_distro_free(d);
}

static void test_distro_huge_values_capped(void **state)
{
	size_t n = 100000;
	char *text = malloc(n + 1024);
	struct customs_distro *d;
	size_t i, len;

	assert_non_null(text);
	len = (size_t)snprintf(text, 64, "ID=x\nPRETTY_NAME=\"");
	memset(text + len, 'A', n);
	len += n;
	memcpy(text + len, "\"\nVERSION_ID=", 13);
	len += 13;
	/* Unquoted, 300 two-byte characters after one ASCII byte. */
	text[len++] = 'v';
	for (i = 0; i < 300; i++) {
		text[len++] = (char)0xc3;
		text[len++] = (char)0xa9;
	}
	text[len] = '\0';
	d = detect_os(text);
	assert_int_equal(strlen(d->pretty_name), 256);
	assert_int_equal(d->pretty_name[255], 'A');
	/* 1 + 2 * 127 = 255: the character across byte 256 is dropped whole. */
	assert_int_equal(strlen(d->version_id), 255);
	assert_int_equal((unsigned char)d->version_id[254], 0xa9);
	customs_distro_free(d);
	free(text);
}

static void test_distro_huge_key_and_line(void **state)
{
	size_t n = 1 << 20;
	char *text = malloc(n + 16);
	struct customs_distro *d;

	assert_non_null(text);
	memset(text, 'K', n);
	memcpy(text + n, "=v\nID=ok\n", 10);
	d = detect_os(text);
	assert_string_equal(d->id, "ok");
	customs_distro_free(d);
	free(text);
}

static void test_distro_free_null(void **state)
{
	customs_distro_free(NULL);
}

/* ---- guessed Dockerfile ---- */

static char *guess(const struct customs_history *h, size_t n)
{
	char *out = (char *)1;

	assert_int_equal(customs_dockerfile_from_history(&out, h, n), 0);
	assert_non_null(out);
	return out;
}

static void test_distro_dockerfile_classic_docker(void **state)
{
	struct customs_history h[] = {
		{ .created_by = "/bin/sh -c #(nop) ADD file:4d35f6c8bbbe6801cd"
				"e5c1a9c4e1c9b3b4e47b5f4c9d4fb1f8d7b61e3ea4d7f0"
				" in / " },
		{ .created_by = "/bin/sh -c #(nop)  CMD [\"bash\"]",
		  .empty_layer = true },
		{ .created_by = "/bin/sh -c #(nop)  ENV PATH=/usr/local/sbin:"
				"/usr/local/bin:/usr/sbin:/usr/bin",
		  .empty_layer = true },
		{ .created_by = "/bin/sh -c #(nop)  ARG VERSION=1.2" },
		{ .created_by = "|1 VERSION=1.2 /bin/sh -c apt-get update && "
				"apt-get install -y curl" },
		{ .created_by = "" },
		{ .created_by = NULL },
		{ .created_by = "/bin/sh -c #(nop) COPY file:0a1b2c in /app " },
		{ .created_by = "/bin/sh -c #(nop)  EXPOSE 80/tcp" },
		{ .created_by = "/bin/sh -c #(nop)  USER nobody" },
	};
	char *df = guess(h, sizeof(h) / sizeof(h[0]));

	assert_string_equal(
		df,
		"FROM scratch\n"
		"ADD file:4d35f6c8bbbe6801cde5c1a9c4e1c9b3b4e47b5f4c9d4fb1f8d7b"
		"61e3ea4d7f0 in / \n"
		" CMD [\"bash\"]\n"
		" ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\n"
		" ARG VERSION=1.2\n"
		"RUN |1 VERSION=1.2 /bin/sh -c apt-get update && apt-get "
		"install -y curl\n"
		"COPY file:0a1b2c in /app \n"
		" EXPOSE 80/tcp\n"
		" USER nobody\n");
	free(df);
}

static void test_distro_dockerfile_busybox(void **state)
{
	struct customs_history h[] = {
		{ .created_by = "/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579"
				"b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1"
				" in / " },
		{ .created_by = "/bin/sh -c #(nop)  CMD [\"sh\"]" },
	};
	char *df = guess(h, 2);

	assert_string_equal(df, "FROM scratch\n"
				"ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7f"
				"d3f8d95579f7fd3443cef785fd1 in / \n"
				" CMD [\"sh\"]\n");
	free(df);
}

static void test_distro_dockerfile_buildkit(void **state)
{
	struct customs_history h[] = {
		{ .created_by = "/bin/sh -c #(nop) ADD file:a2378c1b12e95db69e"
				" in / " },
		{ .created_by = "/bin/sh -c #(nop)  CMD [\"bash\"]" },
		{ .created_by = "ARG TARGETARCH", .empty_layer = true },
		{ .created_by = "ENV APP_HOME=/app", .empty_layer = true },
		{ .created_by = "WORKDIR /app" },
		{ .created_by = "RUN |1 TARGETARCH=amd64 /bin/sh -c apt-get "
				"update && apt-get install -y ca-certificates "
				"# buildkit" },
		{ .created_by = "COPY . /app # buildkit" },
		{ .created_by = "RUN /bin/sh -c cat <<EOF > /etc/motd\nhello\n"
				"EOF # buildkit" },
		{ .created_by = "EXPOSE map[8080/tcp:{}]",
		  .empty_layer = true },
		{ .created_by = "USER 65532:65532", .empty_layer = true },
		{ .created_by = "ENTRYPOINT [\"/app/server\"]",
		  .empty_layer = true },
	};
	char *df = guess(h, sizeof(h) / sizeof(h[0]));

	assert_string_equal(
		df, "FROM scratch\n"
		    "ADD file:a2378c1b12e95db69e in / \n"
		    " CMD [\"bash\"]\n"
		    "RUN ARG TARGETARCH\n"
		    "RUN ENV APP_HOME=/app\n"
		    "RUN WORKDIR /app\n"
		    "RUN RUN |1 TARGETARCH=amd64 /bin/sh -c apt-get update && "
		    "apt-get install -y ca-certificates # buildkit\n"
		    "RUN COPY . /app # buildkit\n"
		    "RUN RUN /bin/sh -c cat <<EOF > /etc/motd\nhello\n"
		    "EOF # buildkit\n"
		    "RUN EXPOSE map[8080/tcp:{}]\n"
		    "RUN USER 65532:65532\n"
		    "RUN ENTRYPOINT [\"/app/server\"]\n");
	free(df);
}

static void test_distro_dockerfile_prefix_edges(void **state)
{
	struct customs_history h[] = {
		{ .created_by = "/bin/sh -c #(nop)" }, /* no trailing space */
		{ .created_by = "/bin/sh -c #(nop) " }, /* nothing after */
		{ .created_by = "/bin/sh -c  #(nop) X" },
		{ .created_by = " " },
	};
	char *df = guess(h, sizeof(h) / sizeof(h[0]));

	assert_string_equal(df, "FROM scratch\n"
				"RUN /bin/sh -c #(nop)\n"
				"\n"
				"RUN /bin/sh -c  #(nop) X\n"
				"RUN  \n");
	free(df);
}

static void test_distro_dockerfile_empty_history(void **state)
{
	char *df = guess(NULL, 0);

	assert_string_equal(df, "FROM scratch\n");
	free(df);
}

/* ---- user-supplied Dockerfile ---- */

static char *write_tmp(const void *data, size_t len)
{
	char *path = strdup("/tmp/customs-test-dockerfile-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static int load(char **out, const void *data, size_t len,
		struct customs_ctx *ctx)
{
	char *path = write_tmp(data, len);
	int rc = customs_dockerfile_load(out, path, ctx);

	unlink(path);
	free(path);
	return rc;
}

static void test_distro_dockerfile_load_text(void **state)
{
	static const char text[] = "FROM debian:12\nRUN apt-get update\n";
	struct customs_ctx *ctx = NULL;
	char *out = NULL;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(load(&out, text, sizeof(text) - 1, ctx), 0);
	assert_string_equal(out, text);
	free(out);
	assert_int_equal(load(&out, "", 0, ctx), 0);
	assert_string_equal(out, "");
	free(out);
	customs_ctx_free(ctx);
}

static void test_distro_dockerfile_load_rejects_nul(void **state)
{
	static const char text[] = "FROM x\n\0RUN y\n";
	struct customs_ctx *ctx = NULL;
	char *out = (char *)1;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(load(&out, text, sizeof(text) - 1, ctx),
			 CUSTOMS_EFORMAT);
	assert_null(out);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "offset 7"));
	customs_ctx_free(ctx);
}

static void test_distro_dockerfile_load_size_cap(void **state)
{
	size_t cap = CUSTOMS_DOCKERFILE_MAX;
	char *big = malloc(cap + 1);
	struct customs_ctx *ctx = NULL;
	char *out = NULL;

	assert_non_null(big);
	memset(big, '#', cap + 1);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(load(&out, big, cap, ctx), 0);
	assert_int_equal(strlen(out), cap);
	free(out);
	out = (char *)1;
	assert_int_equal(load(&out, big, cap + 1, ctx), CUSTOMS_ELIMIT);
	assert_null(out);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "limit"));
	customs_ctx_free(ctx);
	free(big);
}

static void test_distro_dockerfile_load_missing(void **state)
{
	struct customs_ctx *ctx = NULL;
	char *out = (char *)1;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(
		customs_dockerfile_load(&out, "/nonexistent/Dockerfile", ctx),
		CUSTOMS_ENOTFOUND);
	assert_null(out);
	assert_non_null(
		strstr(customs_ctx_errmsg(ctx), "'/nonexistent/Dockerfile'"));
	assert_int_equal(customs_dockerfile_load(&out, "/", ctx), CUSTOMS_EIO);
	customs_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distro_debian12),
		cmocka_unit_test(test_distro_ubuntu2204),
		cmocka_unit_test(test_distro_alpine318),
		cmocka_unit_test(test_distro_rhel8_ubi),
		cmocka_unit_test(test_distro_centos7_redhat_release_only),
		cmocka_unit_test(test_distro_redhat_release_names),
		cmocka_unit_test(test_distro_redhat_release_unknown),
		cmocka_unit_test(test_distro_centos7_cpe_and_redhat_release),
		cmocka_unit_test(test_distro_amazon_linux2),
		cmocka_unit_test(test_distro_cpe_only),
		cmocka_unit_test(test_distro_cpe_unknown_vendor),
		cmocka_unit_test(test_distro_cpe_wildcard_version),
		cmocka_unit_test(test_distro_distroless),
		cmocka_unit_test(test_distro_busybox),
		cmocka_unit_test(test_distro_busybox_without_version),
		cmocka_unit_test(test_distro_debian_sid),
		cmocka_unit_test(
			test_distro_debian_sid_codename_from_debian_version),
		cmocka_unit_test(test_distro_debian_version_only),
		cmocka_unit_test(test_distro_alpine_release_only),
		cmocka_unit_test(test_distro_nothing),
		cmocka_unit_test(test_distro_leading_slash_and_first_wins),
		cmocka_unit_test(
			test_distro_os_release_without_id_falls_through),
		cmocka_unit_test(test_distro_etc_wins_over_usr_lib),
		cmocka_unit_test(
			test_distro_os_release_wins_over_redhat_release),
		cmocka_unit_test(test_distro_busybox_only_when_nothing_else),
		cmocka_unit_test(test_distro_quoting_single),
		cmocka_unit_test(test_distro_quoting_double_escapes),
		cmocka_unit_test(test_distro_quoting_unquoted),
		cmocka_unit_test(test_distro_quoting_keeps_quoted_spaces),
		cmocka_unit_test(test_distro_whitespace_crlf_comments),
		cmocka_unit_test(test_distro_last_assignment_wins),
		cmocka_unit_test(test_distro_empty_id_is_absent),
		cmocka_unit_test(test_distro_malformed_lines_skipped),
		cmocka_unit_test(test_distro_only_malformed_is_nothing),
		cmocka_unit_test(test_distro_nul_bytes),
		cmocka_unit_test(test_distro_control_bytes_replaced),
		cmocka_unit_test(test_distro_huge_values_capped),
		cmocka_unit_test(test_distro_huge_key_and_line),
		cmocka_unit_test(test_distro_free_null),
		cmocka_unit_test(test_distro_dockerfile_classic_docker),
		cmocka_unit_test(test_distro_dockerfile_busybox),
		cmocka_unit_test(test_distro_dockerfile_buildkit),
		cmocka_unit_test(test_distro_dockerfile_prefix_edges),
		cmocka_unit_test(test_distro_dockerfile_empty_history),
		cmocka_unit_test(test_distro_dockerfile_load_text),
		cmocka_unit_test(test_distro_dockerfile_load_rejects_nul),
		cmocka_unit_test(test_distro_dockerfile_load_size_cap),
		cmocka_unit_test(test_distro_dockerfile_load_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

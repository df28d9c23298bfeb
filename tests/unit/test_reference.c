/*
 * reference: Docker's reference grammar and normalisation. The table
 * below is taken as facts from Docker's own suites (distribution/
 * reference reference_test.go, normalize_test.go, regexp_test.go, and
 * go-digest), each case turned into what ParseNormalizedNamed gives for
 * it, with the reason it is there. Then lengths, messages, the canonical
 * and familiar forms, the loopback rule and the API host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/reference.h"
#include "util/banned.h"

struct rcase {
	const char *in;
	int code; /* 0 or the CUSTOMS_E* code expected */
	const char *domain, *path, *tag, *digest;
	const char *why;
};

#define OK(in, d, p, t, g, why)         \
	{                               \
		in, 0, d, p, t, g, why, \
	}
#define BAD(in, code, why)                             \
	{                                              \
		in, code, NULL, NULL, NULL, NULL, why, \
	}

static const struct rcase cases[] = {
	OK("test_com", "docker.io", "library/test_com", "latest", NULL,
	   "reference_test: '_' is a separator; one component is an official "
	   "image"),
	OK("test.com:tag", "docker.io", "library/test.com", "tag", NULL,
	   "reference_test: without '/' a dotted name is an image, not a "
	   "domain"),
	OK("test.com:5000", "docker.io", "library/test.com", "5000", NULL,
	   "reference_test: without '/' ':5000' is a tag, not a port"),
	OK("test.com/repo:tag", "test.com", "repo", "tag", NULL,
	   "reference_test: '.' makes the first component a domain"),
	OK("test:5000/repo", "test:5000", "repo", "latest", NULL,
	   "reference_test: ':' makes the first component a domain"),
	OK("test:5000/repo:tag", "test:5000", "repo", "tag", NULL,
	   "reference_test: port and tag"),
	OK("test:5000/"
	   "repo@sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "test:5000", "repo", NULL,
	   "sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "reference_test: digest only: no default tag"),
	OK("test:5000/"
	   "repo:tag@sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "test:5000", "repo", "tag",
	   "sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "reference_test: tag and digest are both kept"),
	BAD("", CUSTOMS_EFORMAT, "reference_test: empty reference"),
	BAD(":justtag", CUSTOMS_EFORMAT,
	    "reference_test: no repository name before the tag"),
	BAD("@sha256:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EFORMAT,
	    "reference_test: no repository name before the digest"),
	BAD("repo@sha256:ffffffffffffffffffffffffffffffffff", CUSTOMS_EFORMAT,
	    "reference_test: sha256 needs exactly 64 hex digits"),
	BAD("validname@invaliddigest:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EUNSUPPORTED,
	    "reference_test: unregistered digest algorithm"),
	BAD("Uppercase:tag", CUSTOMS_EFORMAT,
	    "reference_test: uppercase in a repository name"),
	OK("Uppercase/lowercase:tag", "Uppercase", "lowercase", "tag", NULL,
	   "reference_test: an uppercase first component is taken as a domain "
	   "(Docker FIXME)"),
	BAD("test:5000/Uppercase/lowercase:tag", CUSTOMS_EFORMAT,
	    "reference_test: uppercase in the path after a domain"),
	OK("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase",
	   NULL, "reference_test: tags may be uppercase"),
	BAD("aa/asdf$$^/aa", CUSTOMS_EFORMAT,
	    "reference_test: '$' and '^' are not allowed in a path"),
	OK("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux",
	   "latest", NULL,
	   "reference_test: '-' inside a domain label, three path components"),
	OK("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com",
	   "bar/baz/quux", "some-long-tag", NULL,
	   "reference_test: '-' in a tag"),
	OK("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io",
	   "test.example.com/my-app", "test.example.com", NULL,
	   "reference_test: only the first component can be the domain"),
	OK("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage",
	   "xn--n3h.com", NULL,
	   "reference_test: punycode domain ('--' inside a label)"),
	OK("xn--7o8h.com/"
	   "myimage:xn--7o8h.com@sha512:"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "xn--7o8h.com", "myimage", "xn--7o8h.com",
	   "sha512:"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "reference_test: sha512 digest with a tag"),
	OK("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", NULL,
	   "reference_test: no '/': a name with a numeric tag"),
	OK("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", NULL,
	   "reference_test: 'foo' is not a domain; dots are fine in later "
	   "components"),
	OK("192.168.1.1", "docker.io", "library/192.168.1.1", "latest", NULL,
	   "reference_test: an IPv4 address alone is an image name"),
	OK("192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", NULL,
	   "reference_test: IPv4-looking name with a tag"),
	OK("192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", NULL,
	   "reference_test: IPv4-looking name with a numeric tag"),
	OK("192.168.1.1/repo", "192.168.1.1", "repo", "latest", NULL,
	   "reference_test: IPv4 domain"),
	OK("192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", "latest", NULL,
	   "reference_test: IPv4 domain with port"),
	OK("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050",
	   NULL, "reference_test: IPv4 domain with port and numeric tag"),
	BAD("[2001:db8::1]", CUSTOMS_EFORMAT,
	    "reference_test: an IPv6 address alone is not a name"),
	BAD("[2001:db8::1]:5000", CUSTOMS_EFORMAT,
	    "reference_test: an IPv6 address and port alone is not a name"),
	BAD("[2001:db8::1]:tag", CUSTOMS_EFORMAT,
	    "reference_test: an IPv6 address is not a name"),
	OK("[2001:db8::1]/repo", "[2001:db8::1]", "repo", "latest", NULL,
	   "reference_test: bracketed IPv6 domain"),
	OK("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo",
	   "tag", NULL, "reference_test: uncompressed IPv6 domain"),
	OK("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", "latest",
	   NULL, "reference_test: IPv6 domain with port"),
	OK("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag",
	   NULL, "reference_test: IPv6 domain, port, tag"),
	OK("[2001:db8::1]:5000/"
	   "repo@sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "[2001:db8::1]:5000", "repo", NULL,
	   "sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "reference_test: IPv6 domain, port, digest"),
	OK("[2001:db8::1]:5000/"
	   "repo:tag@sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "[2001:db8::1]:5000", "repo", "tag",
	   "sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "reference_test: IPv6 domain, port, tag, digest"),
	OK("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", "latest",
	   NULL, "reference_test: IPv6 ending in '::'"),
	OK("[::1]:5000/repo", "[::1]:5000", "repo", "latest", NULL,
	   "reference_test: IPv6 loopback with port"),
	BAD("[fe80::1%eth0]:5000/repo", CUSTOMS_EFORMAT,
	    "reference_test: IPv6 zone identifiers are not allowed"),
	BAD("[fe80::1%@invalidzone]:5000/repo", CUSTOMS_EFORMAT,
	    "reference_test: IPv6 zone identifiers are not allowed"),
	OK("test.com/foo", "test.com", "foo", "latest", NULL,
	   "reference_test TestDomainAndPath: dotted domain"),
	OK("test_com/foo", "docker.io", "test_com/foo", "latest", NULL,
	   "reference_test TestDomainAndPath: '_' never makes a domain"),
	OK("test:8080/foo", "test:8080", "foo", "latest", NULL,
	   "reference_test TestDomainAndPath: name:port domain"),
	OK("test.com:8080/foo", "test.com:8080", "foo", "latest", NULL,
	   "reference_test TestDomainAndPath: dotted domain with port"),
	OK("test-com:8080/foo", "test-com:8080", "foo", "latest", NULL,
	   "reference_test TestDomainAndPath: '-' in a domain label"),
	OK("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "latest", NULL,
	   "reference_test TestDomainAndPath: punycode domain with port"),
	OK("example.com:8000/named", "example.com:8000", "named", "latest",
	   NULL, "reference_test TestSerialization: just a name"),
	OK("example.com:8000/named:tagged", "example.com:8000", "named",
	   "tagged", NULL, "reference_test TestSerialization: name with a tag"),
	OK("other.com/"
	   "named@sha256:"
	   "1234567890098765432112345667890098765432112345667890098765432112",
	   "other.com", "named", NULL,
	   "sha256:"
	   "1234567890098765432112345667890098765432112345667890098765432112",
	   "reference_test TestSerialization: name with digest"),
	OK("docker/docker", "docker.io", "docker/docker", "latest", NULL,
	   "normalize_test TestValidateReferenceName: two components on Docker "
	   "Hub"),
	OK("library/debian", "docker.io", "library/debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: explicit library "
	   "namespace"),
	OK("debian", "docker.io", "library/debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: official image"),
	OK("docker.io/docker/docker", "docker.io", "docker/docker", "latest",
	   NULL,
	   "normalize_test TestValidateReferenceName: explicit docker.io"),
	OK("docker.io/library/debian", "docker.io", "library/debian", "latest",
	   NULL, "normalize_test TestValidateReferenceName: fully qualified"),
	OK("docker.io/debian", "docker.io", "library/debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: docker.io/<one "
	   "component> gets library/"),
	OK("index.docker.io/docker/docker", "docker.io", "docker/docker",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: legacy index.docker.io "
	   "is docker.io"),
	OK("index.docker.io/library/debian", "docker.io", "library/debian",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: legacy domain, library "
	   "path"),
	OK("index.docker.io/debian", "docker.io", "library/debian", "latest",
	   NULL,
	   "normalize_test TestValidateReferenceName: legacy domain also gets "
	   "library/"),
	OK("127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: loopback registry"),
	OK("127.0.0.1:5000/library/debian", "127.0.0.1:5000", "library/debian",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: library/ kept as given "
	   "elsewhere"),
	OK("127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: no library/ off Docker "
	   "Hub"),
	OK("192.168.0.1", "docker.io", "library/192.168.0.1", "latest", NULL,
	   "normalize_test TestValidateReferenceName: address alone is a name"),
	OK("192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", NULL,
	   "normalize_test TestValidateReferenceName: ':80' is a tag here"),
	OK("192.168.0.1:8/debian", "192.168.0.1:8", "debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: one-digit port"),
	OK("192.168.0.2:25000/debian", "192.168.0.2:25000", "debian", "latest",
	   NULL, "normalize_test TestValidateReferenceName: five-digit port"),
	OK("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
	   "docker.io",
	   "library/"
	   "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: 64 characters but not "
	   "hex"),
	OK("[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", "latest", NULL,
	   "normalize_test TestValidateReferenceName: IPv6 registry"),
	OK("[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: IPv6 registry, two "
	   "components"),
	OK("[fc00:1:2:3:4:5:6:7]:5000/library/debian",
	   "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", "latest", NULL,
	   "normalize_test TestValidateReferenceName: full IPv6 registry"),
	OK("docker.io/"
	   "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
	   "docker.io",
	   "library/"
	   "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
	   "latest", NULL,
	   "normalize_test TestValidateReferenceName: 64 hex is a name once a "
	   "domain is given"),
	OK("Docker/docker", "Docker", "docker", "latest", NULL,
	   "normalize_test TestValidateReferenceName: uppercase first "
	   "component is a domain"),
	OK("DOCKER/docker", "DOCKER", "docker", "latest", NULL,
	   "normalize_test TestValidateReferenceName: all-uppercase first "
	   "component is a domain"),
	BAD("https://github.com/docker/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: a URL is not a "
	    "reference"),
	BAD("docker/Docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: uppercase in the "
	    "repository"),
	BAD("-docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: leading '-'"),
	BAD("-docker/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: leading '-' in a "
	    "namespace"),
	BAD("-docker.io/docker/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: leading '-' in a "
	    "domain"),
	BAD("docker///docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: empty path components"),
	BAD("docker.io/docker/Docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: uppercase in the "
	    "repository after docker.io"),
	BAD("docker.io/docker///docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: empty path components "
	    "after docker.io"),
	BAD("[fc00::1]", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: IPv6 address alone"),
	BAD("[fc00::1]:5000", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: IPv6 address and port "
	    "alone"),
	BAD("fc00::1:5000/debian", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: IPv6 without brackets"),
	BAD("[fe80::1%eth0]:5000/debian", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: IPv6 zone"),
	BAD("[2001:db8:3:4::192.0.2.33]:5000/debian", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: IPv4-mapped IPv6 is not "
	    "in the grammar"),
	BAD("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
	    CUSTOMS_EFORMAT,
	    "normalize_test TestValidateReferenceName: 64 hex digits are an "
	    "image ID"),
	OK("docker-rules/docker", "docker.io", "docker-rules/docker", "latest",
	   NULL, "normalize_test TestValidateRemoteName: embedded hyphen"),
	OK("docker---rules/docker", "docker.io", "docker---rules/docker",
	   "latest", NULL,
	   "normalize_test TestValidateRemoteName: several hyphens"),
	OK("doc/docker", "docker.io", "doc/docker", "latest", NULL,
	   "normalize_test TestValidateRemoteName: short namespace"),
	OK("d/docker", "docker.io", "d/docker", "latest", NULL,
	   "normalize_test TestValidateRemoteName: one-character namespace"),
	OK("jess/t", "docker.io", "jess/t", "latest", NULL,
	   "normalize_test TestValidateRemoteName: one-character repository"),
	OK("dock__er/docker", "docker.io", "dock__er/docker", "latest", NULL,
	   "normalize_test TestValidateRemoteName: double underscore"),
	BAD("docker-/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: trailing hyphen"),
	BAD("-docker-/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: leading and trailing "
	    "hyphens"),
	BAD("____/____", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: underscores only"),
	BAD("_docker/_docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: leading underscore"),
	BAD("dock..er/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: two periods"),
	BAD("dock_.er/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: '_.' is not a separator"),
	BAD("dock-.er/docker", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: '-.' is not a separator"),
	BAD("docker/", CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: no repository after '/'"),
	BAD("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_"
	    "255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_"
	    "than_255_this_is_not_a_valid_namespace_because_its_lenth_is_"
	    "greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_"
	    "is_greater_than_255/docker",
	    CUSTOMS_EFORMAT,
	    "normalize_test TestValidateRemoteName: path longer than 255"),
	OK("fooo/bar", "docker.io", "fooo/bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: user repository"),
	OK("index.docker.io/fooo/bar", "docker.io", "fooo/bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: ambiguous legacy form"),
	OK("ubuntu", "docker.io", "library/ubuntu", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: familiar official name"),
	OK("docker.io/library/ubuntu", "docker.io", "library/ubuntu", "latest",
	   NULL, "normalize_test TestParseRepositoryInfo: full official name"),
	OK("nonlibrary/ubuntu", "docker.io", "nonlibrary/ubuntu", "latest",
	   NULL,
	   "normalize_test TestParseRepositoryInfo: not an official image"),
	OK("other/library", "docker.io", "other/library", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: 'library' as a later "
	   "component"),
	OK("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000",
	   "private/moonbase", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: private registry, two "
	   "components"),
	OK("127.0.0.1:8000/privatebase", "127.0.0.1:8000", "privatebase",
	   "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: private registry, one "
	   "component"),
	OK("example.com/private/moonbase", "example.com", "private/moonbase",
	   "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: named registry"),
	OK("example.com/privatebase", "example.com", "privatebase", "latest",
	   NULL,
	   "normalize_test TestParseRepositoryInfo: named registry, no "
	   "library/"),
	OK("example.com:8000/private/moonbase", "example.com:8000",
	   "private/moonbase", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: named registry with port"),
	OK("example.com:8000/privatebasee", "example.com:8000", "privatebasee",
	   "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: named registry with port, "
	   "one component"),
	OK("ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base",
	   "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: '-' and '.' separators"),
	OK("index.docker.io/library/ubuntu-12.04-base", "docker.io",
	   "library/ubuntu-12.04-base", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: legacy domain"),
	OK("docker.io/foo", "docker.io", "library/foo", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: ambiguous docker.io/foo"),
	OK("library/foo/bar", "docker.io", "library/foo/bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: nested under library"),
	OK("store/foo/bar", "docker.io", "store/foo/bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: three components on Docker "
	   "Hub"),
	OK("Foo/bar", "Foo", "bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: uppercase domain"),
	OK("FOO/bar", "FOO", "bar", "latest", NULL,
	   "normalize_test TestParseRepositoryInfo: uppercase domain"),
	OK("busybox:latest@sha256:"
	   "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
	   "docker.io", "library/busybox", "latest",
	   "sha256:"
	   "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
	   "normalize_test: TestParseReferenceWithTagAndDigest"),
	BAD("-foo", CUSTOMS_EFORMAT,
	    "normalize_test: TestInvalidReferenceComponents: leading '-'"),
	OK("redis", "docker.io", "library/redis", "latest", NULL,
	   "normalize_test TestParseAnyReference: official image"),
	OK("redis:latest", "docker.io", "library/redis", "latest", NULL,
	   "normalize_test TestParseAnyReference: official image with tag"),
	OK("docker.io/library/redis:latest", "docker.io", "library/redis",
	   "latest", NULL,
	   "normalize_test TestParseAnyReference: fully qualified"),
	OK("redis@sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "docker.io", "library/redis", NULL,
	   "sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "normalize_test TestParseAnyReference: digest, no default tag"),
	OK("docker.io/library/"
	   "redis@sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "docker.io", "library/redis", NULL,
	   "sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "normalize_test TestParseAnyReference: fully qualified digest"),
	OK("dmcgowan/myapp", "docker.io", "dmcgowan/myapp", "latest", NULL,
	   "normalize_test TestParseAnyReference: user image"),
	OK("dmcgowan/myapp:latest", "docker.io", "dmcgowan/myapp", "latest",
	   NULL, "normalize_test TestParseAnyReference: user image with tag"),
	OK("docker.io/mcgowan/myapp:latest", "docker.io", "mcgowan/myapp",
	   "latest", NULL,
	   "normalize_test TestParseAnyReference: qualified user image"),
	OK("dmcgowan/"
	   "myapp@sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "docker.io", "dmcgowan/myapp", NULL,
	   "sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "normalize_test TestParseAnyReference: user image by digest"),
	OK("docker.io/dmcgowan/"
	   "myapp@sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "docker.io", "dmcgowan/myapp", NULL,
	   "sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "normalize_test TestParseAnyReference: qualified user image by "
	   "digest"),
	BAD("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	    CUSTOMS_EFORMAT,
	    "normalize_test TestParseAnyReference: a bare ID is a digest "
	    "there, never a name"),
	OK("sha256:"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   "docker.io", "library/sha256",
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
	   NULL,
	   "normalize_test TestParseAnyReference: ParseNormalizedNamed reads "
	   "'sha256:<hex>' as name:tag"),
	OK("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
	   "docker.io",
	   "library/"
	   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
	   "latest", NULL,
	   "normalize_test TestParseAnyReference: 63 hex digits are a name"),
	OK("dbcc1", "docker.io", "library/dbcc1", "latest", NULL,
	   "normalize_test TestParseAnyReference: short hex is a name"),
	OK("docker/migrator", "docker.io", "docker/migrator", "latest", NULL,
	   "normalize_test TestNormalizedSplitHostname: Docker Hub namespace"),
	OK("docker.io/library/foo/bar", "docker.io", "library/foo/bar",
	   "latest", NULL,
	   "normalize_test TestNormalizedSplitHostname: library/ kept with "
	   "nesting"),
	OK("foo", "docker.io", "library/foo", "latest", NULL,
	   "normalize_test TestNormalizedSplitHostname: official image"),
	OK("xn--n3h.com/foo", "xn--n3h.com", "foo", "latest", NULL,
	   "normalize_test TestNormalizedSplitHostname: punycode domain"),
	BAD("test.com:http/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: port must be digits"),
	OK("localhost/x", "localhost", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: localhost is always a domain before "
	   "'/'"),
	OK("localhost:8080/x", "localhost:8080", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: localhost with port"),
	OK("a.b/x", "a.b", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: short dotted domain"),
	OK("ab.cd.com/x", "ab.cd.com", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: three labels"),
	OK("a-b.com/x", "a-b.com", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: hyphen inside a label"),
	BAD("-ab.com/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: label starts with '-'"),
	BAD("ab-.com/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: label ends with '-'"),
	OK("ab.c-om/x", "ab.c-om", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: hyphen inside the last label"),
	BAD("ab.-com/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: last label starts with '-'"),
	BAD("ab.com-/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: last label ends with '-'"),
	OK("0101.com/x", "0101.com", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: numeric label"),
	OK("001a.com/x", "001a.com", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: label starting with digits"),
	OK("b.gbc.io:443/x", "b.gbc.io:443", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: port 443"),
	OK("Asdf.com/x", "Asdf.com", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: uppercase allowed in domains"),
	OK("192.168.1.1:75050/x", "192.168.1.1:75050", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: the grammar does not bound ports"),
	OK("192.168.1.1:750050/x", "192.168.1.1:750050", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: six-digit port still matches the "
	   "grammar"),
	OK("[fd00:1:2::3]:75050/x", "[fd00:1:2::3]:75050", "x", "latest", NULL,
	   "regexp_test TestDomainRegexp: compressed IPv6"),
	BAD("[fd00:1:2::3]75050/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: IPv6 port needs ':'"),
	BAD("[fd00:1:2::3]::75050/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: '::' before an IPv6 port"),
	BAD("[fd00:1:2::3%eth0]:75050/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: IPv6 zone"),
	OK("[fd00123123123]:75050/x", "[fd00123123123]:75050", "x", "latest",
	   NULL,
	   "regexp_test TestDomainRegexp: brackets only need hex digits and "
	   "':'"),
	OK("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050/x",
	   "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050", "x", "latest",
	   NULL, "regexp_test TestDomainRegexp: long IPv6"),
	BAD("fd00:1:2::3:75050/x", CUSTOMS_EFORMAT,
	    "regexp_test TestDomainRegexp: IPv6 without brackets"),
	OK("simple/name", "docker.io", "simple/name", "latest", NULL,
	   "regexp_test TestFullNameRegexp: two components"),
	OK("docker/stevvooe/app", "docker.io", "docker/stevvooe/app", "latest",
	   NULL,
	   "regexp_test TestFullNameRegexp: three components on Docker Hub"),
	OK("aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", "docker.io",
	   "aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", "latest", NULL,
	   "regexp_test TestFullNameRegexp: many components"),
	BAD("a/a/a/a/", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '/'"),
	BAD("a//a/a", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: empty component"),
	OK("a/aa/a", "docker.io", "a/aa/a", "latest", NULL,
	   "regexp_test TestFullNameRegexp: short components"),
	OK("foo.com", "docker.io", "library/foo.com", "latest", NULL,
	   "regexp_test TestFullNameRegexp: a dotted name alone is an image"),
	BAD("foo.com/", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: domain without a repository"),
	OK("foo.com:8080/bar", "foo.com:8080", "bar", "latest", NULL,
	   "regexp_test TestFullNameRegexp: domain with port"),
	OK("foo.com/bar/baz", "foo.com", "bar/baz", "latest", NULL,
	   "regexp_test TestFullNameRegexp: domain and two components"),
	OK("blog.foo.com/bar/baz", "blog.foo.com", "bar/baz", "latest", NULL,
	   "regexp_test TestFullNameRegexp: subdomain"),
	BAD("a^a", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: '^' not allowed"),
	BAD("asdf$$^/aa", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: '$' not allowed"),
	OK("aa-a/a", "docker.io", "aa-a/a", "latest", NULL,
	   "regexp_test TestFullNameRegexp: hyphen in a namespace"),
	BAD("a-/a/a/a", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '-' in a component"),
	BAD("foo.com/a-/a/a", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '-' after a domain"),
	BAD("foo/bar-", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '-'"),
	BAD("foo/-bar", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '-'"),
	BAD("_foo/bar", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '_'"),
	OK("foo_bar", "docker.io", "library/foo_bar", "latest", NULL,
	   "regexp_test TestFullNameRegexp: '_' separator"),
	OK("foo_bar.com", "docker.io", "library/foo_bar.com", "latest", NULL,
	   "regexp_test TestFullNameRegexp: no '/': not a domain"),
	BAD("foo_bar.com:8080/app", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: '_' is not allowed in a domain"),
	OK("foo.com/foo_bar", "foo.com", "foo_bar", "latest", NULL,
	   "regexp_test TestFullNameRegexp: '_' in a path"),
	BAD("docker_/docker_", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '_'"),
	OK("example.com/xn--7o8h.com/myimage", "example.com",
	   "xn--7o8h.com/myimage", "latest", NULL,
	   "regexp_test TestFullNameRegexp: punycode as a path component"),
	OK("example.com/some_separator__underscore/myimage", "example.com",
	   "some_separator__underscore/myimage", "latest", NULL,
	   "regexp_test TestFullNameRegexp: '_' and '__' separators"),
	BAD("example.com/__underscore/myimage", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '__'"),
	BAD("example.com/..dots/myimage", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '..'"),
	BAD("example.com/.dots/myimage", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '.'"),
	BAD("example.com/nodouble..dots/myimage", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: '..' is not a separator"),
	BAD("docker./docker", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: trailing '.' in a domain"),
	BAD(".docker/docker", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: leading '.' in a domain"),
	BAD("do..cker/docker", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: empty domain label"),
	BAD("do__cker:8080/docker", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: '_' in a domain with port"),
	OK("do__cker/docker", "docker.io", "do__cker/docker", "latest", NULL,
	   "regexp_test TestFullNameRegexp: '__' namespace on Docker Hub"),
	OK("registry.io/foo/project--id.module--name.ver---sion--name",
	   "registry.io", "foo/project--id.module--name.ver---sion--name",
	   "latest", NULL,
	   "regexp_test TestFullNameRegexp: runs of '-' are separators"),
	OK("Asdf.com/foo/bar", "Asdf.com", "foo/bar", "latest", NULL,
	   "regexp_test TestFullNameRegexp: uppercase domain"),
	BAD("Foo/FarB", CUSTOMS_EFORMAT,
	    "regexp_test TestFullNameRegexp: uppercase in the path"),
	OK("registry.com:8080/myapp:tag", "registry.com:8080", "myapp", "tag",
	   NULL, "regexp_test TestReferenceRegexp: port and tag"),
	OK("registry.com:8080/"
	   "myapp@sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "registry.com:8080", "myapp", NULL,
	   "sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "regexp_test TestReferenceRegexp: port and digest"),
	OK("registry.com:8080/"
	   "myapp:tag2@sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "registry.com:8080", "myapp", "tag2",
	   "sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "regexp_test TestReferenceRegexp: port, tag and digest"),
	BAD("registry.com:8080/myapp@sha256:badbadbadbad", CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: digest too short"),
	BAD("registry.com:8080/myapp:invalid~tag", CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: '~' in a tag"),
	BAD("bad_hostname.com:8080/myapp:tag", CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: '_' in a domain"),
	OK("localhost:8080@sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "docker.io", "library/localhost", "8080",
	   "sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "regexp_test TestReferenceRegexp: no '/': localhost is a name, 8080 "
	   "a tag"),
	OK("localhost:8080/"
	   "name@sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "localhost:8080", "name", NULL,
	   "sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "regexp_test TestReferenceRegexp: localhost registry by digest"),
	BAD("localhost:http/"
	    "name@sha256:"
	    "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	    CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: port must be digits"),
	OK("localhost@sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "docker.io", "library/localhost", NULL,
	   "sha256:"
	   "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
	   "regexp_test TestReferenceRegexp: localhost alone is a name"),
	BAD("registry.com:8080/myapp@bad", CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: digest without algorithm"),
	BAD("registry.com:8080/myapp@2bad", CUSTOMS_EFORMAT,
	    "regexp_test TestReferenceRegexp: algorithm must start with a "
	    "letter"),
	OK("a@sha384:"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	   "fffffffffffffffffffffffffffff",
	   "docker.io", "library/a", NULL,
	   "sha384:"
	   "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	   "fffffffffffffffffffffffffffff",
	   "go-digest / normalize.go: sha384 is registered"),
	BAD("a@sha256:"
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
	    CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: registered algorithms take lowercase "
	    "hex only"),
	BAD("a@SHA256:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: algorithms are lowercase"),
	BAD("a@sha256:"
	    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: 65 hex digits for sha256"),
	BAD("a@sha512:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: sha512 needs 128 hex digits"),
	BAD("foo@sha256+b64:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EUNSUPPORTED,
	    "go-digest / normalize.go: well-formed but unregistered algorithm"),
	BAD("foo@md5:ffffffffffffffffffffffffffffffff", CUSTOMS_EUNSUPPORTED,
	    "go-digest / normalize.go: md5 is not registered"),
	BAD("foo@multihash+base58:"
	    "QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
	    CUSTOMS_EFORMAT, "go-digest / normalize.go: digests are hex"),
	OK("localhost", "docker.io", "library/localhost", "latest", NULL,
	   "go-digest / normalize.go: bare localhost is a name (Docker FIXME)"),
	OK("localhost:5000", "docker.io", "library/localhost", "5000", NULL,
	   "go-digest / normalize.go: bare localhost:5000 is name:tag"),
	OK("LOCALHOST/x", "LOCALHOST", "x", "latest", NULL,
	   "go-digest / normalize.go: uppercase makes a domain"),
	OK("registry-1.docker.io/library/nginx", "registry-1.docker.io",
	   "library/nginx", "latest", NULL,
	   "go-digest / normalize.go: only index.docker.io is rewritten"),
	OK("registry-1.docker.io/nginx", "registry-1.docker.io", "nginx",
	   "latest", NULL,
	   "go-digest / normalize.go: no library/ on registry-1.docker.io"),
	OK("docker.io/library/"
	   "nginx:1.25@sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "docker.io", "library/nginx", "1.25",
	   "sha256:"
	   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	   "go-digest / normalize.go: tag and digest together"),
	OK("nginx:1.25", "docker.io", "library/nginx", "1.25", NULL,
	   "go-digest / normalize.go: issue 7 example"),
	OK("registry:5000/team/app:1.4", "registry:5000", "team/app", "1.4",
	   NULL, "go-digest / normalize.go: issue 7 example: host:port domain"),
	OK("team/app:1.4", "docker.io", "team/app", "1.4", NULL,
	   "go-digest / normalize.go: issue 7 example: Docker Hub namespace"),
	OK("foo:_tag", "docker.io", "library/foo", "_tag", NULL,
	   "go-digest / normalize.go: tags may start with '_'"),
	OK("foo:TAG_1.0-rc", "docker.io", "library/foo", "TAG_1.0-rc", NULL,
	   "go-digest / normalize.go: tags take letters, digits, '_', '.', "
	   "'-'"),
	BAD("foo:.tag", CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: tag starts with '.'"),
	BAD("foo:-tag", CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: tag starts with '-'"),
	BAD("x:", CUSTOMS_EFORMAT, "go-digest / normalize.go: empty tag"),
	BAD("x@", CUSTOMS_EFORMAT, "go-digest / normalize.go: empty digest"),
	BAD("a:b:c", CUSTOMS_EFORMAT, "go-digest / normalize.go: ':' in a tag"),
	BAD("a@b@sha256:"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    CUSTOMS_EFORMAT, "go-digest / normalize.go: two '@'"),
	BAD("foo_bar.com/app", CUSTOMS_EFORMAT,
	    "go-digest / normalize.go: Docker leaves the domain empty here; "
	    "customs refuses"),
	OK("[::1]/x", "[::1]", "x", "latest", NULL,
	   "go-digest / normalize.go: IPv6 loopback without port"),
};

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static const char *show(const char *s)
{
	return s ? s : "(null)";
}

/* The canonical string of c's expected fields. */
static char *expected_string(const struct rcase *c)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s%s%s%s%s", c->domain, c->path,
		 c->tag ? ":" : "", c->tag ? c->tag : "", c->digest ? "@" : "",
		 c->digest ? c->digest : "");
	return buf;
}

static void check_valid(const struct rcase *c, struct customs_ctx *ctx)
{
	struct customs_ref r, again;
	char *s = NULL;
	int rc = customs_ref_parse(&r, c->in, ctx);

	if (rc)
		fail_msg("'%s' (%s): want valid, got %d: %s", c->in, c->why, rc,
			 customs_ctx_errmsg(ctx));
	if (!same(r.domain, c->domain) || !same(r.path, c->path) ||
	    !same(r.tag, c->tag) || !same(r.digest, c->digest))
		fail_msg("'%s' (%s): got %s %s %s %s", c->in, c->why,
			 show(r.domain), show(r.path), show(r.tag),
			 show(r.digest));
	assert_int_equal(customs_ref_string(&s, &r, ctx), 0);
	assert_string_equal(s, expected_string(c));
	/* the canonical form is a fixed point */
	assert_int_equal(customs_ref_parse(&again, s, ctx), 0);
	assert_true(same(again.domain, r.domain) && same(again.path, r.path) &&
		    same(again.tag, r.tag) && same(again.digest, r.digest));
	customs_ref_release(&again);
	customs_ref_release(&r);
	free(s);
}

static void check_invalid(const struct rcase *c, struct customs_ctx *ctx)
{
	struct customs_ref r;
	int rc = customs_ref_parse(&r, c->in, ctx);

	if (rc != c->code)
		fail_msg("'%s' (%s): want %d, got %d (%s)", c->in, c->why,
			 c->code, rc, rc ? customs_ctx_errmsg(ctx) : r.path);
	assert_null(r.domain);
	assert_null(r.path);
	/* every refusal names the reference it refuses */
	if (*c->in && strlen(c->in) < 200 &&
	    !strstr(customs_ctx_errmsg(ctx), c->in))
		fail_msg("'%s': message does not quote it: %s", c->in,
			 customs_ctx_errmsg(ctx));
}

static void test_reference_docker_cases(void **state)
{
	struct customs_ctx *ctx;
	size_t i, valid = 0;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 150);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		customs_ctx_clear(ctx);
		if (cases[i].code == 0) {
			check_valid(&cases[i], ctx);
			valid++;
		} else {
			check_invalid(&cases[i], ctx);
		}
	}
	assert_true(valid > 50 && valid < i - 50);
	customs_ctx_free(ctx);
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * times + t + 1);

	assert_non_null(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * times, tail, t + 1);
	return s;
}

static int parse_code(const char *s)
{
	struct customs_ref r;
	int rc = customs_ref_parse(&r, s, NULL);

	customs_ref_release(&r);
	return rc;
}

static void test_reference_lengths(void **state)
{
	char *s;

	(void)state;
	/* reference_test: 128 "a/" + "a" is a 257-character path */
	s = repeat("a/", 128, "a:tag");
	assert_int_equal(parse_code(s), CUSTOMS_EFORMAT);
	free(s);
	/* 255 characters exactly, with a tag that puts the whole over */
	s = repeat("a/", 127, "a:tag-puts-this-over-max");
	assert_int_equal(parse_code(s), 0);
	free(s);
	/* "library/" counts: 247 + 8 = 255 passes, 248 + 8 does not */
	s = repeat("a", 247, "");
	assert_int_equal(parse_code(s), 0);
	free(s);
	s = repeat("a", 248, "");
	assert_int_equal(parse_code(s), CUSTOMS_EFORMAT);
	free(s);
	/* tag := [\w][\w.-]{0,127}: 128 passes, 129 does not */
	s = repeat("t", 128, "");
	{
		char ref[200];

		snprintf(ref, sizeof(ref), "x:%s", s);
		assert_int_equal(parse_code(ref), 0);
		snprintf(ref, sizeof(ref), "x:%st", s);
		assert_int_equal(parse_code(ref), CUSTOMS_EFORMAT);
	}
	free(s);
	/* our own cap on input */
	s = repeat("a", CUSTOMS_REF_MAX_LEN + 1, "");
	assert_int_equal(parse_code(s), CUSTOMS_ELIMIT);
	free(s);
	assert_int_equal(parse_code(NULL), CUSTOMS_EINVAL);
}

static void expect_msg(const char *in, int code, const char *msg)
{
	struct customs_ctx *ctx;
	struct customs_ref r;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_ref_parse(&r, in, ctx), code);
	assert_string_equal(customs_ctx_errmsg(ctx), msg);
	customs_ctx_free(ctx);
}

static void test_reference_messages(void **state)
{
	char *s;

	(void)state;
	expect_msg("Foo", CUSTOMS_EFORMAT,
		   "invalid reference 'Foo': repository name 'library/Foo' "
		   "must be lowercase");
	expect_msg("localhost:http/x", CUSTOMS_EFORMAT,
		   "invalid reference 'localhost:http/x': 'localhost:http' is "
		   "not a valid registry host[:port]");
	expect_msg("team/App:1", CUSTOMS_EFORMAT,
		   "invalid reference 'team/App:1': repository name 'team/App' "
		   "must be lowercase");
	expect_msg("team//app", CUSTOMS_EFORMAT,
		   "invalid reference 'team//app': empty path component");
	expect_msg("team/-app", CUSTOMS_EFORMAT,
		   "invalid reference 'team/-app': path component '-app' is "
		   "not valid: use lowercase letters and digits, separated by "
		   "'.', '_', '__' or '-'");
	expect_msg("app:.1", CUSTOMS_EFORMAT,
		   "invalid reference 'app:.1': tag '.1' is not valid: use "
		   "letters, digits, '_', '.' and '-', not starting with '.' "
		   "or '-'");
	expect_msg("app@sha256:0123456789abcdef0123456789abcdef",
		   CUSTOMS_EFORMAT,
		   "invalid reference 'app@sha256:0123456789abcdef0123456789"
		   "abcdef': digest has 32 hex digits, sha256 needs 64");
	expect_msg("app@md5:0123456789abcdef0123456789abcdef",
		   CUSTOMS_EUNSUPPORTED,
		   "reference 'app@md5:0123456789abcdef0123456789abcdef': "
		   "unsupported digest algorithm 'md5' (sha256, sha384 and "
		   "sha512 are supported)");
	expect_msg("app@sha256:xyz", CUSTOMS_EFORMAT,
		   "invalid reference 'app@sha256:xyz': digest 'sha256:xyz' is "
		   "not valid: want algorithm:hex with at least 32 hex digits, "
		   "as in sha256:<64 hex>");
	expect_msg("", CUSTOMS_EFORMAT,
		   "invalid reference '': empty reference");
	expect_msg("0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
		   "abcdef",
		   CUSTOMS_EFORMAT,
		   "invalid reference '0123456789abcdef0123456789abcdef01234567"
		   "89abcdef0123456789abcdef': 64 hexadecimal digits are an "
		   "image ID, not a repository name");
	expect_msg("a\nb", CUSTOMS_EFORMAT,
		   "invalid reference 'a?b': path component 'a?b' is not "
		   "valid: use lowercase letters and digits, separated by "
		   "'.', '_', '__' or '-'");
	/* a long reference is quoted in part, the path length in full */
	s = repeat("a", 300, "");
	{
		struct customs_ctx *ctx;
		struct customs_ref r;

		assert_int_equal(customs_ctx_new(&ctx), 0);
		assert_int_equal(customs_ref_parse(&r, s, ctx),
				 CUSTOMS_EFORMAT);
		assert_non_null(strstr(customs_ctx_errmsg(ctx),
				       "...': repository path is 308 "
				       "characters, at most 255 are allowed"));
		customs_ctx_free(ctx);
	}
	free(s);
}

static void expect_familiar(const char *in, const char *familiar)
{
	struct customs_ref r;
	char *f = NULL;

	assert_int_equal(customs_ref_parse(&r, in, NULL), 0);
	assert_int_equal(customs_ref_familiar(&f, &r, NULL), 0);
	if (strcmp(f, familiar))
		fail_msg("'%s': familiar '%s', want '%s'", in, f, familiar);
	free(f);
	customs_ref_release(&r);
}

/* normalize_test TestParseRepositoryInfo's FamiliarName column, and
 * TestParseReferenceWithTagAndDigest; the tag is ours (default latest) */
static void test_reference_familiar(void **state)
{
	(void)state;
	expect_familiar("nginx", "nginx:latest");
	expect_familiar("docker.io/library/nginx:1.25", "nginx:1.25");
	expect_familiar("index.docker.io/fooo/bar", "fooo/bar:latest");
	expect_familiar("library/ubuntu", "ubuntu:latest");
	expect_familiar("docker.io/foo", "foo:latest");
	expect_familiar("team/app:1.4", "team/app:1.4");
	expect_familiar("other/library", "other/library:latest");
	expect_familiar("library/foo/bar", "library/foo/bar:latest");
	expect_familiar("127.0.0.1:8000/private/moonbase",
			"127.0.0.1:8000/private/moonbase:latest");
	expect_familiar("example.com/privatebase",
			"example.com/privatebase:latest");
	expect_familiar("Foo/bar", "Foo/bar:latest");
	expect_familiar("localhost:5000/x", "localhost:5000/x:latest");
	expect_familiar("registry-1.docker.io/library/nginx",
			"registry-1.docker.io/library/nginx:latest");
	expect_familiar("busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f39"
			"56bbeb2eae1b5b9a43045843f69fe4aaa",
			"busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f39"
			"56bbeb2eae1b5b9a43045843f69fe4aaa");
	expect_familiar("redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93eba"
			"e8b3dbe638c23575912276fc9c",
			"redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93eba"
			"e8b3dbe638c23575912276fc9c");
}

static void test_reference_plain_http(void **state)
{
	static const char *const yes[] = {
		"localhost", "localhost:5000", "LocalHost:5000",
		"127.0.0.1", "127.0.0.1:5000", "127.1.2.3:80",
		"[::1]",     "[::1]:5000",     "[0:0:0:0:0:0:0:1]:5000",
		"[0::1]",    "[::0:1]",	       "[0000::0001]",
	};
	static const char *const no[] = {
		"docker.io",
		"registry-1.docker.io",
		"128.0.0.1",
		"127.0.0.01",
		"127.0.0",
		"127.0.0.1.1",
		"127.0.0.256",
		"[::]",
		"[::2]",
		"[1::1]",
		"[::1:0]",
		"[::1",
		"localhost.com",
		"mylocalhost:5000",
		"[1:2:3:4:5:6:7:8:1]",
		"[::1::1]",
		"[:::1]",
		"[00001::1]",
		"",
		"10.0.0.1:5000",
		"[fe80::1]:5000",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!customs_ref_plain_http_ok(yes[i]))
			fail_msg("'%s' should allow plain HTTP", yes[i]);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (customs_ref_plain_http_ok(no[i]))
			fail_msg("'%s' should not allow plain HTTP", no[i]);
	}
	assert_false(customs_ref_plain_http_ok(NULL));
}

static void test_reference_api_host(void **state)
{
	struct customs_ref r;

	(void)state;
	assert_int_equal(customs_ref_parse(&r, "index.docker.io/x/y", NULL), 0);
	assert_string_equal(customs_ref_api_host(&r), "registry-1.docker.io");
	customs_ref_release(&r);
	assert_int_equal(customs_ref_parse(&r, "ghcr.io/org/app", NULL), 0);
	assert_string_equal(customs_ref_api_host(&r), "ghcr.io");
	customs_ref_release(&r);
	customs_ref_release(&r); /* releasing twice is harmless */
	customs_ref_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_docker_cases),
		cmocka_unit_test(test_reference_lengths),
		cmocka_unit_test(test_reference_messages),
		cmocka_unit_test(test_reference_familiar),
		cmocka_unit_test(test_reference_plain_http),
		cmocka_unit_test(test_reference_api_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

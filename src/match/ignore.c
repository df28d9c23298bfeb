/*
 * Ignore rules (YAML, Grype's shape plus "expires"): a list of rules,
 * either at the top level or under "ignore:" in a config file. A rule
 * suppresses a finding when every field it sets matches (AND):
 *   vulnerability   the finding's id or one of its aliases
 *   fix-state       fixed | not-fixed | wont-fix | unknown
 *   match-type      exact-direct-match | exact-indirect-match | cpe-match
 *   namespace       the row's namespace
 *   package.name    exact, or an anchored POSIX ERE when it has regex
 *                   metacharacters
 *   package.version exact; package.type Syft's type name
 *   package.location  a glob ("**" crosses '/') over the locations
 *   package.upstream-name  the source package / origin
 *   reason          text for reports; expires YYYY-MM-DD (a rule whose
 *                   date has passed does not apply and is warned about)
 * Unknown keys are errors (a typo must not silently widen a rule). The
 * input is bounded (IGNORE_MAX_BYTES, IGNORE_MAX_RULES); libyaml's
 * document loader does not expand aliases and only three levels are read.
 */
#include <ctype.h>
#include <regex.h>
#include <string.h>
#include <yaml.h>

#include "match/ignore_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define IGNORE_MAX_BYTES (4u << 20)
#define IGNORE_MAX_RULES 10000
#define IGNORE_MAX_FIELD 1024

struct yin {
	yaml_document_t doc;
	const char *name;
	struct customs_ctx *ctx;
};

static yaml_node_t *ynode(struct yin *y, int i)
{
	return yaml_document_get_node(&y->doc, i);
}

static const char *yscalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static int bad(struct yin *y, const yaml_node_t *n, const char *what)
{
	return customs_error(y->ctx, CUSTOMS_EFORMAT, "%s: line %zu: %s",
			     y->name, n ? n->start_mark.line + 1 : 0, what);
}

static bool looks_like_regex(const char *s)
{
	return strpbrk(s, "^$*+?()[]{}|\\") != NULL;
}

static int set_field(struct yin *y, const yaml_node_t *v, char **dst)
{
	const char *s = yscalar(v);

	if (!s)
		return bad(y, v, "expected a string");
	if (strlen(s) > IGNORE_MAX_FIELD)
		return customs_error(y->ctx, CUSTOMS_ELIMIT,
				     "%s: line %zu: value longer than %u bytes",
				     y->name, v->start_mark.line + 1,
				     IGNORE_MAX_FIELD);
	customs_free(*dst);
	*dst = customs_strdup(s);
	return *dst ? 0 : CUSTOMS_ENOMEM;
}

static bool valid_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return false;
	return s[10] == '\0' || s[10] == 'T';
}

static int compile_name(struct yin *y, struct ignore_rule *r,
			const yaml_node_t *v)
{
	struct cbuf b = CBUF_INIT(IGNORE_MAX_FIELD + 8);
	int rc;

	if (!looks_like_regex(r->name))
		return 0;
	cbuf_printf(&b, "^(%s)$", r->name);
	rc = cbuf_error(&b);
	if (!rc && regcomp(&r->re, b.ptr, REG_EXTENDED | REG_NOSUB))
		rc = bad(y, v, "package.name: not a valid regular expression");
	else if (!rc)
		r->name_re = true;
	cbuf_release(&b);
	return rc;
}

static int package_field(struct yin *y, struct ignore_rule *r, const char *k,
			 const yaml_node_t *v)
{
	int rc;

	if (!strcmp(k, "name")) {
		rc = set_field(y, v, &r->name);
		return rc ? rc : compile_name(y, r, v);
	}
	if (!strcmp(k, "version"))
		return set_field(y, v, &r->version);
	if (!strcmp(k, "type") || !strcmp(k, "language"))
		return set_field(y, v, &r->type);
	if (!strcmp(k, "location"))
		return set_field(y, v, &r->location);
	if (!strcmp(k, "upstream-name"))
		return set_field(y, v, &r->upstream);
	return bad(y, v, "unknown key in package");
}

static int package_map(struct yin *y, struct ignore_rule *r,
		       const yaml_node_t *m)
{
	yaml_node_pair_t *p;
	int rc = 0;

	if (!m || m->type != YAML_MAPPING_NODE)
		return bad(y, m, "package: expected a mapping");
	for (p = m->data.mapping.pairs.start;
	     !rc && p < m->data.mapping.pairs.top; p++) {
		const char *k = yscalar(ynode(y, p->key));

		rc = k ? package_field(y, r, k, ynode(y, p->value))
		       : bad(y, ynode(y, p->key), "expected a string key");
	}
	return rc;
}

static int enum_field(struct yin *y, struct ignore_rule *r, const char *k,
		      const yaml_node_t *v)
{
	const char *s = yscalar(v);

	if (!s)
		return bad(y, v, "expected a string");
	if (!strcmp(k, "fix-state")) {
		r->has_state = true;
		return customs_fix_state_parse(&r->state, s)
			       ? bad(y, v, "fix-state: unknown state")
			       : 0;
	}
	r->has_mtype = true;
	return customs_match_type_parse(&r->mtype, s)
		       ? bad(y, v, "match-type: unknown match type")
		       : 0;
}

static int rule_field(struct yin *y, struct ignore_rule *r, const char *k,
		      const yaml_node_t *v)
{
	int rc;

	if (!strcmp(k, "vulnerability"))
		return set_field(y, v, &r->vulnerability);
	if (!strcmp(k, "reason"))
		return set_field(y, v, &r->reason);
	if (!strcmp(k, "namespace"))
		return set_field(y, v, &r->ns);
	if (!strcmp(k, "fix-state") || !strcmp(k, "match-type"))
		return enum_field(y, r, k, v);
	if (!strcmp(k, "package"))
		return package_map(y, r, v);
	if (!strcmp(k, "include-aliases"))
		return 0; /* always on */
	if (!strcmp(k, "expires")) {
		rc = set_field(y, v, &r->expires);
		if (!rc && !valid_date(r->expires))
			rc = bad(y, v, "expires: expected YYYY-MM-DD");
		return rc;
	}
	return bad(y, v, "unknown key in ignore rule");
}

static int one_rule(struct yin *y, struct ignore_rule *r, const yaml_node_t *m)
{
	yaml_node_pair_t *p;
	int rc = 0;

	r->line = m ? m->start_mark.line + 1 : 0;
	if (!m || m->type != YAML_MAPPING_NODE)
		return bad(y, m, "ignore rule: expected a mapping");
	for (p = m->data.mapping.pairs.start;
	     !rc && p < m->data.mapping.pairs.top; p++) {
		const char *k = yscalar(ynode(y, p->key));

		rc = k ? rule_field(y, r, k, ynode(y, p->value))
		       : bad(y, ynode(y, p->key), "expected a string key");
	}
	return rc;
}

static void rule_release(struct ignore_rule *r)
{
	customs_free(r->vulnerability);
	customs_free(r->reason);
	customs_free(r->ns);
	customs_free(r->expires);
	customs_free(r->name);
	customs_free(r->version);
	customs_free(r->type);
	customs_free(r->location);
	customs_free(r->upstream);
	if (r->name_re)
		regfree(&r->re);
}

void customs_ignore_rules_free(struct customs_ignore_rules *rules)
{
	size_t i;

	if (!rules)
		return;
	for (i = 0; i < rules->n; i++)
		rule_release(&rules->v[i]);
	customs_free(rules->v);
	customs_free(rules);
}

/* The rule list: the root sequence, or the root mapping's "ignore". */
static const yaml_node_t *rule_list(struct yin *y, const yaml_node_t *root)
{
	yaml_node_pair_t *p;

	if (!root || root->type == YAML_SEQUENCE_NODE)
		return root;
	if (root->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const char *k = yscalar(ynode(y, p->key));

		if (k && !strcmp(k, "ignore"))
			return ynode(y, p->value);
	}
	return root; /* a config without rules: checked by the caller */
}

static int load_rules(struct yin *y, struct customs_ignore_rules *rules)
{
	const yaml_node_t *root = yaml_document_get_root_node(&y->doc);
	const yaml_node_t *list = rule_list(y, root);
	yaml_node_item_t *it;
	size_t n;
	int rc = 0;

	if (!list || (root && list == root && root->type == YAML_MAPPING_NODE))
		return 0; /* empty document or no "ignore" key */
	if (list->type == YAML_SCALAR_NODE && !*yscalar(list))
		return 0; /* "ignore:" with nothing */
	if (list->type != YAML_SEQUENCE_NODE)
		return bad(y, list, "ignore: expected a list of rules");
	n = (size_t)(list->data.sequence.items.top -
		     list->data.sequence.items.start);
	if (n > IGNORE_MAX_RULES)
		return customs_error(y->ctx, CUSTOMS_ELIMIT,
				     "%s: more than %d ignore rules", y->name,
				     IGNORE_MAX_RULES);
	rules->v = customs_calloc(n ? n : 1, sizeof(*rules->v));
	if (!rules->v)
		return CUSTOMS_ENOMEM;
	for (it = list->data.sequence.items.start;
	     !rc && it < list->data.sequence.items.top; it++)
		rc = one_rule(y, &rules->v[rules->n++], ynode(y, *it));
	return rc;
}

int customs_ignore_rules_parse(struct customs_ignore_rules **out,
			       const char *data, size_t len, const char *name,
			       struct customs_ctx *ctx)
{
	struct yin y = { .name = name, .ctx = ctx };
	struct customs_ignore_rules *rules;
	yaml_parser_t parser;
	int rc;

	*out = NULL;
	if (len > IGNORE_MAX_BYTES)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: larger than %u bytes", name,
				     IGNORE_MAX_BYTES);
	rules = customs_calloc(1, sizeof(*rules));
	if (!rules || !yaml_parser_initialize(&parser)) {
		customs_free(rules);
		return CUSTOMS_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &y.doc)) {
		rc = parser.error == YAML_MEMORY_ERROR
			     ? CUSTOMS_ENOMEM
			     : customs_error(ctx, CUSTOMS_EFORMAT,
					     "%s: line %zu: invalid YAML: %s",
					     name, parser.problem_mark.line + 1,
					     parser.problem ? parser.problem
							    : "?");
	} else {
		rc = load_rules(&y, rules);
		yaml_document_delete(&y.doc);
	}
	yaml_parser_delete(&parser);
	if (rc)
		customs_ignore_rules_free(rules);
	else
		*out = rules;
	return rc;
}

/*
 * The rules file (YAML, Trivy's trivy-secret.yaml keys plus a few of
 * ours; docs/secrets.md): custom rules, enable/disable lists for rules and
 * allow rules, custom global allow rules, the size cap. Loaded with
 * libyaml's document API from memory (at most 1 MiB). Every error names
 * the file, the line and, inside a rule, its id; a regex error carries
 * PCRE2's message. Unknown keys are errors too: a misspelt
 * "disable-rule" silently ignored would hide secrets the user wants.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

struct cfg {
	struct customs_secrets *s;
	yaml_document_t *doc;
	const char *name;
	struct customs_ctx *ctx;
};

static int bad(struct cfg *c, const yaml_node_t *n, const char *what)
{
	return customs_error(
		c->ctx, CUSTOMS_EFORMAT, "%s: line %lu: %s", c->name,
		n ? (unsigned long)n->start_mark.line + 1 : 0UL, what);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		       ? (const char *)n->data.scalar.value
		       : NULL;
}

static yaml_node_t *node(struct cfg *c, int i)
{
	return yaml_document_get_node(c->doc, i);
}

/* Call fn for each scalar of a sequence node. */
static int each_scalar(struct cfg *c, yaml_node_t *seq,
		       int (*fn)(struct cfg *, const char *, yaml_node_t *,
				 void *),
		       void *data)
{
	yaml_node_item_t *it;
	int rc;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return bad(c, seq, "expected a list");
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = node(c, *it);

		if (!scalar(n))
			return bad(c, n, "expected a string in the list");
		rc = fn(c, scalar(n), n, data);
		if (rc)
			return rc;
	}
	return 0;
}

static int set_rule_enabled(struct cfg *c, const char *id, yaml_node_t *n,
			    void *data)
{
	int i = rules_lookup(c->s, id);
	char msg[200];

	if (i < 0) {
		snprintf(msg, sizeof(msg), "unknown rule id '%s'", id);
		return bad(c, n, msg);
	}
	c->s->rules[i].enabled = *(bool *)data;
	return 0;
}

static int disable_allow(struct cfg *c, const char *id, yaml_node_t *n,
			 void *data)
{
	size_t i;
	bool hit = false;
	char msg[200];

	(void)data;
	for (i = 0; i < c->s->n_allows; i++) {
		if (!strcmp(c->s->allows[i].id, id)) {
			c->s->allows[i].enabled = false;
			hit = true;
		}
	}
	if (hit)
		return 0;
	snprintf(msg, sizeof(msg), "unknown allow rule id '%s'", id);
	return bad(c, n, msg);
}

static int enable_only(struct cfg *c, yaml_node_t *seq)
{
	bool on = true;
	size_t i;

	for (i = 0; i < c->s->n_rules; i++) {
		if (c->s->rules[i].builtin)
			c->s->rules[i].enabled = false;
	}
	return each_scalar(c, seq, set_rule_enabled, &on);
}

static int parse_severity(enum customs_secret_severity *out, const char *v)
{
	static const char *const names[] = { "UNKNOWN", "LOW", "MEDIUM", "HIGH",
					     "CRITICAL" };
	size_t i;

	for (i = 0; i < 5; i++) {
		if (!strcasecmp(v, names[i])) {
			*out = (enum customs_secret_severity)i;
			return 0;
		}
	}
	*out = CUSTOMS_SECRET_SEV_UNKNOWN; /* as Trivy does */
	return 0;
}

static int kw_append(struct cfg *c, const char *kw, yaml_node_t *n, void *data)
{
	struct cbuf *b = data;

	if (!*kw || strchr(kw, ','))
		return bad(c, n, "a keyword must be non-empty, without ','");
	if (b->len)
		cbuf_putc(b, ',');
	cbuf_puts(b, kw);
	if (cbuf_error(b) == CUSTOMS_ELIMIT)
		return bad(c, n, "a rule's keywords exceed 64 KiB");
	return cbuf_error(b);
}

/* An allow rule mapping: id, description, path, regex. */
static int parse_allow(struct cfg *c, yaml_node_t *m, struct allow_rule *a,
		       const char *owner)
{
	yaml_node_pair_t *p;
	const char *path = NULL, *regex = NULL;
	char what[300];
	int rc = 0;

	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "an allow rule must be a mapping");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(node(c, p->key));
		const char *v = scalar(node(c, p->value));

		if (!k || !v)
			return bad(c, node(c, p->key),
				   "allow rule keys and values are strings");
		if (!strcmp(k, "id"))
			a->id = customs_strdup(v);
		else if (!strcmp(k, "path"))
			path = v;
		else if (!strcmp(k, "regex"))
			regex = v;
		else if (strcmp(k, "description"))
			return bad(c, node(c, p->key),
				   "unknown allow rule key");
	}
	if (!a->id)
		a->id = customs_strdup(owner ? owner : "(unnamed)");
	if (!a->id)
		return CUSTOMS_ENOMEM;
	if (!path && !regex)
		return bad(c, m, "an allow rule needs a path or a regex");
	snprintf(what, sizeof(what), "%s: line %lu: allow rule '%s'", c->name,
		 (unsigned long)m->start_mark.line + 1, a->id);
	if (path && !(a->path_src = customs_strdup(path)))
		return CUSTOMS_ENOMEM;
	if (path)
		rc = rules_compile(&a->path, owner ? owner : a->id,
				   "allow path", path, c->ctx);
	if (!rc && regex)
		rc = rules_compile(&a->regex, owner ? owner : a->id,
				   "allow regex", regex, c->ctx);
	if (rc == CUSTOMS_EFORMAT)
		customs_error_prefix(c->ctx, "%s", what);
	return rc;
}

static int parse_allows(struct cfg *c, yaml_node_t *seq, struct allow_rule **v,
			size_t *n, const char *owner)
{
	yaml_node_item_t *it;
	int rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return bad(c, seq, "allow-rules must be a list");
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		struct allow_rule *a = allow_push(v, n);

		if (!a)
			return CUSTOMS_ENOMEM;
		rc = parse_allow(c, node(c, *it), a, owner);
		if (rc)
			return rc;
	}
	return 0;
}

static int rule_field(struct cfg *c, struct rule *r, const char *k,
		      yaml_node_t *v, const char **regex, const char **path)
{
	const char *sv = scalar(v);
	struct cbuf b;
	int rc;

	if (!strcmp(k, "keywords")) {
		cbuf_init(&b, 64 * 1024);
		rc = each_scalar(c, v, kw_append, &b);
		customs_free(r->keywords_csv);
		r->keywords_csv = rc ? NULL : cbuf_detach(&b);
		cbuf_release(&b);
		return rc ? rc : r->keywords_csv ? 0 : CUSTOMS_ENOMEM;
	}
	if (!strcmp(k, "allow-rules"))
		return parse_allows(c, v, &r->allows, &r->n_allows, r->id);
	if (!sv)
		return bad(c, v, "expected a string");
	if (!strcmp(k, "id"))
		return (r->id = customs_strdup(sv)) ? 0 : CUSTOMS_ENOMEM;
	if (!strcmp(k, "category"))
		return (r->category = customs_strdup(sv)) ? 0 : CUSTOMS_ENOMEM;
	if (!strcmp(k, "title"))
		return (r->title = customs_strdup(sv)) ? 0 : CUSTOMS_ENOMEM;
	if (!strcmp(k, "severity"))
		return parse_severity(&r->severity, sv);
	if (!strcmp(k, "regex"))
		*regex = sv;
	else if (!strcmp(k, "path"))
		*path = sv;
	else if (strcmp(k, "secret-group-name") && strcmp(k, "description"))
		return bad(c, v, "unknown rule key");
	return 0;
}

static int finish_rule(struct cfg *c, struct rule *r, yaml_node_t *m,
		       const char *regex, const char *path)
{
	int rc;

	if (!r->id)
		return bad(c, m, "a rule needs an id");
	if (rules_lookup(c->s, r->id) != (int)(r - c->s->rules))
		return bad(c, m, "duplicate rule id");
	if (!regex)
		return bad(c, m, "a rule needs a regex");
	if (!r->category && !(r->category = customs_strdup("custom")))
		return CUSTOMS_ENOMEM;
	if (!r->title && !(r->title = customs_strdup(r->id)))
		return CUSTOMS_ENOMEM;
	if (!r->keywords_csv && !(r->keywords_csv = customs_strdup("")))
		return CUSTOMS_ENOMEM;
	if (!(r->regex_src = customs_strdup(regex)))
		return CUSTOMS_ENOMEM;
	rc = rules_compile(&r->re, r->id, "regex", regex, c->ctx);
	if (!rc && path)
		rc = rules_compile(&r->path, r->id, "path", path, c->ctx);
	if (rc == CUSTOMS_EFORMAT)
		customs_error_prefix(c->ctx, "%s: line %lu", c->name,
				     (unsigned long)m->start_mark.line + 1);
	return rc;
}

static int parse_rule(struct cfg *c, yaml_node_t *m)
{
	struct rule *r = rules_push(c->s);
	const char *regex = NULL, *path = NULL;
	yaml_node_pair_t *p;
	int rc;

	if (!r)
		return c->s->n_rules >= SECRETS_MAX_RULES
			       ? customs_error(c->ctx, CUSTOMS_ELIMIT,
					       "%s: more than %d rules",
					       c->name, SECRETS_MAX_RULES)
			       : CUSTOMS_ENOMEM;
	r->severity = CUSTOMS_SECRET_SEV_UNKNOWN;
	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "a rule must be a mapping");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(node(c, p->key));

		if (!k)
			return bad(c, node(c, p->key), "rule keys are strings");
		rc = rule_field(c, r, k, node(c, p->value), &regex, &path);
		if (rc)
			return rc;
	}
	return finish_rule(c, r, m, regex, path);
}

static int parse_rules(struct cfg *c, yaml_node_t *seq)
{
	yaml_node_item_t *it;
	int rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return bad(c, seq, "rules must be a list");
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		rc = parse_rule(c, node(c, *it));
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_size_cap(struct cfg *c, yaml_node_t *v)
{
	const char *sv = scalar(v);
	unsigned long long n = 0;
	const char *p;

	if (!sv || !*sv)
		return bad(c, v, "max-file-size must be a number of bytes");
	for (p = sv; *p; p++) {
		if (*p < '0' || *p > '9' || n > (1ULL << 40))
			return bad(c, v,
				   "max-file-size must be a number of "
				   "bytes (at most 1 TiB)");
		n = n * 10 + (unsigned)(*p - '0');
	}
	c->s->max_file = (size_t)n;
	return 0;
}

/* Top-level keys; rules come first so disable-rules can name them. */
static int top_key(struct cfg *c, const char *k, yaml_node_t *v, int pass)
{
	bool off = false;

	if (pass == 0)
		return !strcmp(k, "rules") ? parse_rules(c, v) : 0;
	if (!strcmp(k, "rules"))
		return 0;
	if (!strcmp(k, "enable-builtin-rules"))
		return enable_only(c, v);
	if (!strcmp(k, "disable-rules"))
		return each_scalar(c, v, set_rule_enabled, &off);
	if (!strcmp(k, "disable-allow-rules"))
		return each_scalar(c, v, disable_allow, NULL);
	if (!strcmp(k, "allow-rules"))
		return parse_allows(c, v, &c->s->allows, &c->s->n_allows, NULL);
	if (!strcmp(k, "max-file-size"))
		return parse_size_cap(c, v);
	return bad(c, v, "unknown key (see docs/secrets.md)");
}

static int walk(struct cfg *c)
{
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	yaml_node_pair_t *p;
	int pass, rc;

	if (!root)
		return 0; /* an empty file changes nothing */
	if (root->type != YAML_MAPPING_NODE)
		return bad(c, root, "the top level must be a mapping");
	for (pass = 0; pass < 2; pass++) {
		for (p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			const char *k = scalar(node(c, p->key));

			if (!k)
				return bad(c, node(c, p->key),
					   "top-level keys are strings");
			rc = top_key(c, k, node(c, p->value), pass);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int secrets_config_load(struct customs_secrets *s, const char *text, size_t len,
			const char *name, struct customs_ctx *ctx)
{
	struct cfg c = { s, NULL, name, ctx };
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc;

	if (len > SECRETS_MAX_CONFIG_BYTES)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: larger than %u bytes", name,
				     SECRETS_MAX_CONFIG_BYTES);
	if (!yaml_parser_initialize(&parser))
		return CUSTOMS_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = customs_error(
			ctx, CUSTOMS_EFORMAT, "%s: line %lu: %s", name,
			(unsigned long)parser.problem_mark.line + 1,
			parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	c.doc = &doc;
	rc = walk(&c);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

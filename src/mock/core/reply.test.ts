import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.ts';
import { generateFromSchema, planReply, tokenize, tokenizeGraphemes } from './reply.ts';

describe('tokenize', () => {
  it('keeps all text, never splits a grapheme, and cuts long words', () => {
    const text = 'Hello, extraordinarily 日本語 👩‍💻 cafe\u0301!\nnext';
    const tokens = tokenize(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens).toContain(' 👩‍💻');
    expect(tokens).toContain(' cafe\u0301');
    expect(tokens.every((t) => t.trim().length <= 6)).toBe(true);
  });

  it('the ASCII fast path cuts exactly like the grapheme path', () => {
    const rng = createPrng(3);
    const alphabet = 'ab cdefXYZ0189\',.;!?-  \n\t"(){}';
    for (let n = 0; n < 500; n++) {
      let text = '';
      const len = rng.int(0, 60);
      for (let i = 0; i < len; i++) text += alphabet[rng.int(0, alphabet.length - 1)];
      expect(tokenize(text), JSON.stringify(text)).toEqual(tokenizeGraphemes(text));
    }
  });
});

describe('generateFromSchema', () => {
  it('satisfies required fields, enums, types, ranges, arrays, refs', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 2 },
        unit: { enum: ['c', 'f'] },
        n: { type: 'integer', minimum: 3, maximum: 5 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        when: { type: 'string', format: 'date' },
        opt: { type: ['number', 'null'] },
        ref: { $ref: '#/$defs/point' },
      },
      required: ['city', 'unit', 'n', 'tags', 'when', 'ref'],
      $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    };
    const v = generateFromSchema(schema, createPrng(1)) as Record<string, unknown>;
    expect(Object.keys(v).sort()).toEqual(['city', 'n', 'ref', 'tags', 'unit', 'when']);
    expect(['c', 'f']).toContain(v.unit);
    expect(v.n).toBeGreaterThanOrEqual(3);
    expect(v.n).toBeLessThanOrEqual(5);
    expect((v.tags as string[]).length).toBeGreaterThanOrEqual(2);
    expect((v.tags as string[]).length).toBeLessThanOrEqual(3);
    expect(v.when).toBe('2025-06-01');
    expect(typeof (v.ref as { x: unknown }).x).toBe('number');
  });
});

describe('generateFromSchema arrays and free text', () => {
  it('makes two or three items by default and honours minItems/maxItems', () => {
    for (let seed = 1; seed < 40; seed++) {
      const n = (s: object) => (generateFromSchema(s, createPrng(seed)) as unknown[]).length;
      expect(n({ type: 'array', items: {} })).toBeGreaterThanOrEqual(2);
      expect(n({ type: 'array', items: {} })).toBeLessThanOrEqual(3);
      expect(n({ type: 'array', items: {}, maxItems: 1 })).toBe(1);
      expect(n({ type: 'array', items: {}, maxItems: 0 })).toBe(0);
      expect(n({ type: 'array', items: {}, minItems: 5 })).toBe(5);
      expect(n({ type: 'array', items: {}, minItems: 4, maxItems: 6 })).toBeGreaterThanOrEqual(4);
    }
  });

  it('reads limits a helper moved into the description', () => {
    for (let seed = 1; seed < 20; seed++) {
      const v = generateFromSchema(
        { type: 'integer', description: 'Stars. {minimum: 1, maximum: 5}' },
        createPrng(seed),
      );
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(5);
      const list = generateFromSchema(
        { type: 'array', items: { type: 'string' }, description: '{maxItems: 1}' },
        createPrng(seed),
      );
      expect(list).toHaveLength(1);
    }
  });

  it('writes titles from the question and sentences for free-text fields', () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string' },
        points: { type: 'array', items: { type: 'string' } },
      },
      required: ['title', 'points'],
    };
    const v = generateFromSchema(schema, createPrng(3), 'review the Aeropress') as {
      title: string;
      points: string[];
    };
    expect(v.title).toBe('Review the Aeropress');
    for (const p of v.points) expect(p).toMatch(/^[A-Z].+\.$/);
  });
});

describe('planReply', () => {
  const base = {
    lastUserText: 'What is SSE?',
    promptText: 'What is SSE?',
    tools: [],
    toolChoice: 'auto' as const,
    parallelToolCalls: true,
  };
  it('is deterministic and honours max tokens', () => {
    const a = planReply(base, { kind: 'default', seed: 7 });
    expect(planReply(base, { kind: 'default', seed: 7 })).toEqual(a);
    const cut = planReply({ ...base, maxTokens: 4 }, { kind: 'default', seed: 7 });
    expect(cut.tokens).toEqual(a.tokens.slice(0, 4));
    expect(cut.truncated).toBe(true);
  });
  it('calls tools unless forbidden, one when parallel calls are off, the named one when chosen', () => {
    const tools = [{ name: 'a' }, { name: 'b' }];
    expect(
      planReply({ ...base, tools }, { kind: 'default', seed: 1 }).toolCalls.map((c) => c.name),
    ).toEqual(['a', 'b']);
    expect(
      planReply({ ...base, tools, parallelToolCalls: false }, { kind: 'default', seed: 1 })
        .toolCalls,
    ).toHaveLength(1);
    expect(
      planReply({ ...base, tools, toolChoice: 'none' }, { kind: 'default', seed: 1 }).kind,
    ).toBe('text');
    expect(
      planReply(
        { ...base, tools, toolChoice: { name: 'b' } },
        { kind: 'default', seed: 1 },
      ).toolCalls.map((c) => c.name),
    ).toEqual(['b']);
    const c = planReply({ ...base, tools }, { kind: 'default', seed: 1 }).toolCalls[0]!;
    expect(c.fragments.join('')).toBe(c.arguments);
  });
});

describe('tool arguments read the question', () => {
  const weather = {
    type: 'object',
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
  };
  const args = (question: string, seed = 1) =>
    generateFromSchema(weather, createPrng(seed), question) as { city: string; unit: string };

  it('a city named in the question becomes `city`, an enum value it names is chosen', () => {
    expect(args('Weather in Paris?')).toEqual(expect.objectContaining({ city: 'Paris' }));
    expect(args('What is the weather in New York today, in fahrenheit?')).toEqual({
      city: 'New York',
      unit: 'fahrenheit',
    });
    expect(args('Is it raining in São Paulo?').city).toBe('São Paulo');
    // The same for every seed: the question decides, not the dice.
    for (let seed = 0; seed < 5; seed++) expect(args('Weather in Paris?', seed).city).toBe('Paris');
  });

  it('falls back to generated values when the question names nothing', () => {
    expect(['Paris', 'Tokyo', 'Lisbon', 'Nairobi']).toContain(args('how warm is it?').city);
  });

  it('emails and dates come from the question when the format asks for one', () => {
    const out = generateFromSchema(
      {
        type: 'object',
        properties: {
          to: { type: 'string', format: 'email' },
          day: { type: 'string', format: 'date' },
        },
        required: ['to', 'day'],
      },
      createPrng(1),
      'Mail grace@hopper.dev about 2026-03-04 please',
    );
    expect(out).toEqual({ to: 'grace@hopper.dev', day: '2026-03-04' });
  });
});

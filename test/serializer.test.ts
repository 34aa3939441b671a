// Response serialisation: nullable objects and enums are written without anyOf, and the output is what zod's own
// encode gives, null or not, for plain and referenced (registered) schemas.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nullableWithoutAnyOf, serializerCompiler } from '../src/plugins/serializer.js';

const Code = z.object({ system: z.string(), code: z.string() }).meta({ id: 'SerializerTestCode' });
const Shape = z.object({
  name: z.string(),
  sex: z.enum(['female', 'male']).nullable(),
  group: z.object({ label: z.string(), n: z.number().int().nullable() }).nullable(),
  code: Code.nullable(),
  tags: z.array(z.string()).nullable(),
});

describe('response serializer', () => {
  it('writes nullable objects, enums and registered schemas as type [..., null], not anyOf', () => {
    const json = nullableWithoutAnyOf(z.toJSONSchema(Shape, { target: 'draft-7', io: 'output' }) as never) as any;
    expect(JSON.stringify(json)).not.toContain('anyOf');
    expect(json.properties.sex).toEqual({ type: ['string', 'null'], enum: ['female', 'male', null] });
    expect(json.properties.group.type).toEqual(['object', 'null']);
    expect(json.properties.code).toMatchObject({ type: ['object', 'null'], required: ['system', 'code'] });
  });

  it.each([
    { name: 'a', sex: null, group: null, code: null, tags: null },
    { name: 'b', sex: 'female', group: { label: 'x', n: 3 }, code: { system: 'MeSH', code: 'D1' }, tags: ['t'] },
    { name: 'c', sex: 'male', group: { label: 'y', n: null }, code: null, tags: [] },
  ])('writes %j as zod encodes it', (value) => {
    expect(JSON.parse(serializerCompiler({ schema: Shape })(value))).toEqual(z.encode(Shape, value as never));
  });

  it('leaves a recursive schema’s anyOf alone', () => {
    const root = {
      definitions: {
        Node: { type: 'object', properties: { next: { anyOf: [{ $ref: '#/definitions/Node' }, { type: 'null' }] } } },
      },
      $ref: '#/definitions/Node',
    };
    expect(nullableWithoutAnyOf(root)).toEqual(root);
  });
});

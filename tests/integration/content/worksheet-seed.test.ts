import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createContentService, InvalidContentError } from '../../../src/features/content';
import { modulesDir } from '../../../src/platform/paths';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase();
});
afterAll(async () => {
  await connection.close();
});

describe('seeding worksheets', () => {
  it('when the course folder has a worksheet whose from: names nothing, then seeding refuses it with the folder, line and field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modules-'));
    fs.cpSync(modulesDir, dir, { recursive: true });
    const file = path.join(dir, '02-territorial-planning', 'worksheet.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('from: introduction.priorities', 'from: introduction.prioritiez'));
    const seeding = createContentService({ connection }).seedFromFolder(dir);
    await expect(seeding).rejects.toBeInstanceOf(InvalidContentError);
    const errors = ((await seeding.catch((e: unknown) => e)) as InvalidContentError).errors;
    expect(errors).toEqual([expect.objectContaining({ file: '02-territorial-planning/worksheet.yaml', code: 'unknownFrom', field: expect.stringMatching(/^steps\[1\]\.fields\[0\]\.from$/) })]);
    expect(errors[0]?.line).toBeGreaterThan(1);
    expect(await connection.collection('module_versions').countDocuments()).toBe(0);
  });
});

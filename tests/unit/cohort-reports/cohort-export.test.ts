import { parse } from 'csv-parse/sync';
import { csvStream, type ExportColumn } from '../../../src/features/cohort-reports/cohort-export';
import type { LearnerRow } from '../../../src/features/cohort-reports/learner-rows';

async function exportOf(values: (string | number | undefined)[]): Promise<string[][]> {
  const rows = (async function* () {
    for (const value of values) yield { name: value } as unknown as LearnerRow;
  })();
  const columns: ExportColumn[] = [{ header: 'Name', value: (r) => (r as unknown as { name: string | number | undefined }).name }];
  const { source, csv } = csvStream(rows, columns);
  const chunks: Buffer[] = [];
  for await (const chunk of source.pipe(csv)) chunks.push(Buffer.from(chunk));
  return parse(Buffer.concat(chunks), { bom: true }).slice(1);
}

describe('the cohort export', () => {
  it.each([
    ['=Dora', "'=Dora"],
    ['+1 555', "'+1 555"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
    ['＝HYPERLINK()', "'＝HYPERLINK()"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠A1', "'＠A1"],
    ['Ana Souza', 'Ana Souza'],
  ])('when a cell is %j, then the file holds %j', async (value, expected) => {
    expect(await exportOf([value])).toEqual([[expected]]);
  });

  it('when a cell is a number (also a negative one) or empty, then it is written as is', async () => {
    expect(await exportOf([-3, 42, undefined])).toEqual([['-3'], ['42'], ['']]);
  });
});

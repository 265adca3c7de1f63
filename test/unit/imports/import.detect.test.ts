import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../server/src/imports/import.detect';
import { detectFile } from '../../../server/src/imports/import.read';
import { ImportRequestError } from '../../../server/src/imports/import.types';
import { FIXTURES } from './fixtures';

describe('format detection', () => {
  it('tells each format from its header', async () => {
    const cases: [string, string, string, string][] = [
      ['servicenow-events.csv', 'servicenow', 'csv', ','],
      ['servicenow-events.csv.gz', 'servicenow', 'csv', ','],
      ['servicenow-table.csv', 'servicenow', 'csv', ','],
      ['bpi2014-detail.csv', 'bpi2014', 'csv', ';'],
      ['kaggle-itsm.csv', 'bpi2014', 'csv', ','],
      ['generic.csv', 'generic', 'csv', ','],
      ['generic.json', 'generic', 'json', ','],
    ];
    for (const [file, format, syntax, delimiter] of cases) {
      expect(await detectFile(path.join(FIXTURES, file)), file).toMatchObject({ format, syntax, delimiter });
    }
  });

  it('sends the activity log to the events file, and refuses an unknown header', async () => {
    await expect(detectFile(path.join(FIXTURES, 'bpi2014-activity.csv.gz'))).rejects.toThrow(/activity log: import Detail_Incident\.csv with this file as its events file/);
    expect(detectFormat('id;when;what\n1;2;3\n')).toBeUndefined();
  });

  it('reads a tab-separated generic header, and a header behind a BOM', () => {
    expect(detectFormat('external_id\topened_at\tpriority\n')).toMatchObject({ format: 'generic', delimiter: '\t' });
    expect(detectFormat('\uFEFFexternal_id,opened_at\n')).toMatchObject({ format: 'generic', delimiter: ',' });
  });

  it('is an ImportRequestError when nothing fits and no format is given', async () => {
    const error = await detectFile(path.join(FIXTURES, '..', '..', '..', 'package.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRequestError);
  });
});

import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { describe, expect, it } from 'vitest';
import * as imports from '../../../server/src/imports/imports.dto';
import * as incidents from '../../../server/src/incidents/incidents.dto';
import * as metrics from '../../../server/src/metrics/metrics.dto';
import * as sla from '../../../server/src/sla/sla.dto';

/**
 * The checks whose messages the project writes itself (common/validation.ts and the DTO files).
 * Any other check of a DTO must be given its message: class-validator's defaults ("must contain
 * at least 1 elements", "must be longer than or equal to 1 characters") had reached users.
 */
const OWN_CHECKS = new Set([
  'isText',
  'isWholeNumber',
  'isList',
  'isJsonObject',
  'eachJsonObject',
  'wholeNumber',
  'isLocalDate',
  'isIanaZone',
  'isWeeklyHours',
  'isHolidayList',
  'eachString',
  'noBlankStatus',
  'notAlsoPausing',
  'targetMinutes',
]);

describe("every DTO check is told in the project's words", () => {
  const classes = [imports, incidents, metrics, sla].flatMap((module) =>
    Object.values(module).filter((value): value is new () => object => typeof value === 'function'),
  );

  it('gives each check of a DTO class its own message, or is one of the checks written here', () => {
    const defaults = classes.flatMap((dto) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        // IsOptional says nothing of its own.
        .filter((m) => m.type !== 'conditionalValidation')
        .filter((m) => m.message === undefined && !OWN_CHECKS.has(m.name ?? ''))
        .map((m) => `${dto.name}.${m.propertyName}: ${m.name ?? m.type}`),
    );
    expect(defaults).toEqual([]);
  });

  it('reads the DTO classes it checks', () => {
    // PolicyDto, CalendarDto, FilterQueryDto, IncidentListQueryDto and ImportUploadDto among them:
    // a wrong import would leave the list above empty and the check passing for nothing.
    const names = classes.map((dto) => dto.name);
    for (const name of ['PolicyDto', 'PolicyTargetDto', 'CalendarDto', 'FilterQueryDto', 'IncidentListQueryDto', 'ImportUploadDto']) {
      expect(names).toContain(name);
    }
  });
});

// The dashboard's pure pieces (formatting, period presets, the URL query), without a browser.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, loadErrorOf } from '../../client/src/api/useApi';
import { addDays, defaultInterval, nextBucket, presetWindow } from '../../client/src/filters/period';
import {
  formatChange,
  formatCount,
  formatDateTime,
  formatHours,
  formatMinutes,
  formatRate,
  formatShortCount,
  formatZoned,
} from '../../client/src/format/format';

describe('number formats', () => {
  it('writes null and NaN as "—", never 0', () => {
    for (const format of [formatHours, formatRate, formatCount, formatMinutes]) {
      expect(format(null)).toBe('—');
      expect(format(Number.NaN)).toBe('—');
    }
  });

  it('writes hours with one decimal, rates as percentages, counts with separators', () => {
    expect(formatHours(6)).toBe('6.0 h');
    // 2/3 h = 0.6667 -> 0.7
    expect(formatHours(2 / 3)).toBe('0.7 h');
    // 1/3 = 33.33 % -> 33.3 %
    expect(formatRate(1 / 3)).toBe('33.3 %');
    expect(formatRate(0)).toBe('0.0 %');
    expect(formatCount(24918)).toBe('24,918');
    // Short counts: exact below 10 000; 98 765 / 1000 = 98.765 -> 98.8k; 412 345 / 1000 = 412.3
    // -> 412k; 99 950 would round to 100.0k: 100k; 999 499 -> 999k; 999 500 / 10^6 = 0.9995 -> 1.0M;
    // 1 234 567 / 10^6 -> 1.2M.
    expect([9999, 10000, 98765, 99950, 412345, 999499, 999500, 1234567, null].map(formatShortCount)).toEqual([
      '9,999',
      '10.0k',
      '98.8k',
      '100k',
      '412k',
      '999k',
      '1.0M',
      '1.2M',
      '—',
    ]);
    // 90 min = 1 h 30 min; 1440 min = 24 h
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(1440)).toBe('24 h');
  });

  it('writes the change in the unit of the figure, and a change that rounds to nothing as ±', () => {
    // 6 - 30 = -24 h
    expect(formatChange(6, 30, 'hours')).toBe('−24.0 h');
    // 0.5 - 0.25 = +0.25 = +25 points
    expect(formatChange(0.5, 0.25, 'rate')).toBe('+25.0 pt');
    // 3.2 - 3.24 = -0.04, shown to one decimal as 0.0
    expect(formatChange(3.2, 3.24, 'hours')).toBe('±0.0 h');
    expect(formatChange(4, 1, 'count')).toBe('+3');
    expect(formatChange(null, 1, 'count')).toBe('—');
  });
});

describe('load errors', () => {
  it('offers a new try for no answer, a 5xx, 408 and 429 only, keeping the message', () => {
    const retryable = (status: number) => loadErrorOf(new ApiError(status, 'm')).retryable;
    // 408 Request Timeout and 429 Too Many Requests are the 4xx a later try can pass; 499 is the
    // last 4xx, 500 the first 5xx.
    expect([400, 404, 408, 429, 499, 500, 503].map(retryable)).toEqual([false, false, true, true, false, true, true]);
    // What fetch throws with no answer at all: the browser's words, said to be no answer.
    expect(loadErrorOf(new TypeError('Failed to fetch'))).toEqual({ message: 'No answer from the server (Failed to fetch)', retryable: true });
    expect(loadErrorOf(new ApiError(404, 'No incident X in source s'))).toEqual({ message: 'No incident X in source s', retryable: false });
  });

  it("says an answer without a message of the server's own as a sentence, not a bare status line", async () => {
    const answers: Response[] = [];
    vi.stubGlobal('fetch', () => Promise.resolve(answers.shift()));
    const thrown = async (answer: Response): Promise<ApiError> => {
      answers.push(answer);
      return apiFetch('/api/filters').then(
        () => expect.fail('a non-2xx answer resolved'),
        (caught: unknown) => caught as ApiError,
      );
    };
    try {
      // A proxy's HTML page: not JSON, so the status and its reason phrase, in a sentence.
      const html = await thrown(new Response('<html>Not Found</html>', { status: 404, statusText: 'Not Found' }));
      expect(html).toBeInstanceOf(ApiError);
      expect(html.status).toBe(404);
      expect(html.message).toBe('The server answered 404 Not Found, without saying why');
      // An empty body, and no reason phrase (HTTP/2 sends none): the status alone.
      expect((await thrown(new Response('', { status: 503 }))).message).toBe('The server answered 503, without saying why');
      // JSON without a message (or an empty one) is no message either.
      const noMessage = await thrown(new Response('{"statusCode":500,"message":""}', { status: 500, statusText: 'Internal Server Error' }));
      expect(noMessage.message).toBe('The server answered 500 Internal Server Error, without saying why');
      // The server's own message stays as it is, a list of them joined by "; ".
      const own = await thrown(new Response('{"message":["from: not a date","to: not a date"]}', { status: 400, statusText: 'Bad Request' }));
      expect(own.message).toBe('from: not a date; to: not a date');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('instants in a zone', () => {
  it('shows an instant in the chosen zone', () => {
    // 23:30 UTC on 31 October 2016 is 00:30 on 1 November in Berlin (CET, UTC+1).
    expect(formatDateTime('2016-10-31T23:30:00Z', 'UTC')).toBe('2016-10-31 23:30');
    expect(formatDateTime('2016-10-31T23:30:00Z', 'Europe/Berlin')).toBe('2016-11-01 00:30');
  });

  it("shows a due instant in its calendar's zone with the offset it carries", () => {
    // Issue 3, case 1: due 11:00 in Sao Paulo (UTC-2 on 4 November 2018) = 13:00 UTC.
    expect(formatZoned('2018-11-04T11:00:00.000-02:00', 'America/Sao_Paulo')).toBe(
      '2018-11-04 11:00 America/Sao_Paulo (-02:00)',
    );
  });
});

describe('period presets, counted back from the latest data', () => {
  it('ends the window the day after the latest day with data', () => {
    // Latest 2016-03-15: last 7 days = 03-09 .. 03-15, i.e. [03-09, 03-16).
    expect(presetWindow('last7', '2016-03-15', null)).toEqual({ from: '2016-03-09', to: '2016-03-16' });
    // Last 30 across February of a leap year: 03-16 minus 30 days = 02-15.
    expect(presetWindow('last30', '2016-03-15', null)).toEqual({ from: '2016-02-15', to: '2016-03-16' });
  });

  it('takes the month before the latest one, unless the data reaches its last day', () => {
    // Data to 15 March: March is not full, so February [02-01, 03-01).
    expect(presetWindow('lastMonth', '2016-03-15', null)).toEqual({ from: '2016-02-01', to: '2016-03-01' });
    // Data to 31 March: March is full, [03-01, 04-01).
    expect(presetWindow('lastMonth', '2016-03-31', null)).toEqual({ from: '2016-03-01', to: '2016-04-01' });
  });

  it('picks the interval the API picks, and steps buckets by it', () => {
    // 62 days -> day; 63 -> week; 367 -> month.
    expect(defaultInterval('2016-01-01', addDays('2016-01-01', 62))).toBe('day');
    expect(defaultInterval('2016-01-01', addDays('2016-01-01', 63))).toBe('week');
    expect(defaultInterval('2016-01-01', addDays('2016-01-01', 367))).toBe('month');
    expect(nextBucket('2016-02-29', 'day')).toBe('2016-03-01');
    expect(nextBucket('2016-02-29', 'week')).toBe('2016-03-07');
    expect(nextBucket('2016-01-31', 'month')).toBe('2016-02-01');
  });
});

describe('filters in the URL query', () => {
  it('round-trips every filter, leaving defaults out', async () => {
    const { filtersFromQuery, filtersToQuery } = await import('../../client/src/filters/filters.query');
    const query =
      'view=sla&from=2016-03-01&to=2016-04-01&tz=Europe%2FBerlin&interval=week&source=servicenow&priority=2&category=network&assignmentGroup=Network+Ops&incident=servicenow%2FINC0000045&breakdown=category&complianceBy=assignmentGroup';
    const filters = filtersFromQuery(query);
    expect(filters).toEqual({
      view: 'sla',
      from: '2016-03-01',
      to: '2016-04-01',
      tz: 'Europe/Berlin',
      interval: 'week',
      source: 'servicenow',
      priority: '2',
      category: 'network',
      assignmentGroup: 'Network Ops',
      incident: 'servicenow/INC0000045',
      list: '',
      breakdown: 'category',
      complianceBy: 'assignmentGroup',
    });
    expect(filtersToQuery(filters)).toBe(query);
    expect(filtersToQuery(filtersFromQuery(''))).toBe('');
  });

  it('names an incident by source and id, whatever characters they hold', async () => {
    const { incidentParam, parseIncidentParam } = await import('../../client/src/filters/filters.query');
    const param = incidentParam('team/a', 'INC 1/2');
    expect(param).toBe('team%2Fa/INC%201%2F2');
    expect(parseIncidentParam(param)).toEqual({ source: 'team/a', externalId: 'INC 1/2' });
    expect(parseIncidentParam('no-separator')).toBeNull();
  });

  it('names an open list by its figure, title, sort and narrower filters, and reads it back', async () => {
    const { filtersFromQuery, filtersToQuery, listParam, parseListParam } = await import('../../client/src/filters/filters.query');
    const list = {
      figure: 'sla-breached' as const,
      title: 'Resolution SLA breaches, P2 & "network"',
      params: { priority: '2', from: '2016-03-07', to: '2016-03-14' },
      sort: '-openedAt',
    };
    const param = listParam(list);
    expect(parseListParam(param)).toEqual(list);
    // Inside the page's query it is one value, and comes back whole.
    const query = filtersToQuery({ ...filtersFromQuery('from=2016-03-01&to=2016-04-01'), list: param });
    expect(filtersFromQuery(query).list).toBe(param);
    expect(parseListParam(filtersFromQuery(query).list)).toEqual(list);
    // Without narrower filters or a sort, the list has neither.
    expect(parseListParam(listParam({ figure: 'mtrs', title: 'MTRS' }))).toEqual({ figure: 'mtrs', title: 'MTRS' });
    // Its page comes back too; the first page is the default, left out.
    expect(parseListParam(listParam({ ...list, page: 3 }))).toEqual({ ...list, page: 3 });
    expect(listParam({ ...list, page: 1 })).toBe(param);
    expect(parseListParam(`${param}&page=1`)).toEqual(list);
    // The longest category an import takes in CJK (166 characters, 498 bytes), in the title and
    // the filter: 9 characters each once percent-encoded, and still read back.
    const cjk = '\u7db2'.repeat(166);
    const wide = { figure: 'restored' as const, title: `Restorations, category ${cjk}`, params: { category: cjk } };
    expect(listParam(wide).length).toBeGreaterThan(2 * 166 * 9);
    expect(parseListParam(listParam(wide))).toEqual(wide);
  });

  it('drops a list the page did not write', async () => {
    const { filtersFromQuery, parseListParam } = await import('../../client/src/filters/filters.query');
    // An unknown figure, no title, a filter the lists do not take, a sort that is not a column
    // name, an overlong title.
    for (const param of [
      'figure=everything&title=All',
      'figure=mtrs',
      'figure=mtrs&title=MTRS&p.limit=100000',
      'figure=mtrs&title=MTRS&sort=1;drop',
      'figure=mtrs&title=MTRS&sort=foo',
      `figure=mtrs&title=${'x'.repeat(701)}`,
      `figure=mtrs&title=MTRS&p.category=${'x'.repeat(501)}`,
    ]) {
      expect(parseListParam(param), param).toBeNull();
      expect(filtersFromQuery(new URLSearchParams({ list: param }).toString()).list, param).toBe('');
    }
    // Pages count from 1, in whole numbers up to 9 999 999 read as the import reads a count: a
    // list with any other page (a sign, a fraction, another notation) opens at its first page,
    // the list itself being good. A query reads `+2` as " 2"; `%2B2` is the sign itself.
    for (const page of ['0', '-2', '+2', '%2B2', '2.5', '2e0', '0x2', ' 2', '.5', '12345678', '']) {
      expect(parseListParam(`figure=mtrs&title=MTRS&page=${page}`), page).toEqual({ figure: 'mtrs', title: 'MTRS' });
      // And the page ignored leaves the address.
      expect(filtersFromQuery(new URLSearchParams({ list: `figure=mtrs&title=MTRS&page=${page}` }).toString()).list, page).toBe('figure=mtrs&title=MTRS');
    }
  });

  it("reads a list's page as a count is read: leading zeros and a point with zeros are the same page", async () => {
    const { filtersFromQuery, parseListParam } = await import('../../client/src/filters/filters.query');
    // `02` once opened the first page. 02, 002, 2.0 and 2. all name page 2; 0000010 is page 10.
    for (const [page, expected] of [
      ['02', 2],
      ['002', 2],
      ['2.0', 2],
      ['2.', 2],
      ['0000010', 10],
      ['09999999', 9_999_999],
    ] as const) {
      expect(parseListParam(`figure=mtrs&title=MTRS&page=${page}`), page).toEqual({ figure: 'mtrs', title: 'MTRS', page: expected });
      // The address then carries the page as the page writes it.
      expect(filtersFromQuery(new URLSearchParams({ list: `figure=mtrs&title=MTRS&page=${page}` }).toString()).list, page).toBe(`figure=mtrs&title=MTRS&page=${expected}`);
    }
    // 01 and 1.0 are the first page, which a link leaves out.
    for (const page of ['01', '1.0', '00']) {
      expect(parseListParam(`figure=mtrs&title=MTRS&page=${page}`), page).toEqual({ figure: 'mtrs', title: 'MTRS' });
    }
  });

  it('drops malformed values instead of sending them to the API', async () => {
    const { filtersFromQuery } = await import('../../client/src/filters/filters.query');
    // A category or group longer than an import takes (500), a source name over 200: dropped,
    // while the longest ones are kept.
    const long = (key: string, n: number) => filtersFromQuery(`${key}=${'a'.repeat(n)}`);
    expect([long('category', 501).category, long('assignmentGroup', 501).assignmentGroup, long('source', 201).source]).toEqual(['', '', '']);
    expect([long('category', 500).category.length, long('assignmentGroup', 500).assignmentGroup.length, long('source', 200).source.length]).toEqual([500, 500, 200]);
    // 30 February does not exist; from must come before to; priority is 1..5; zone must be IANA.
    expect(filtersFromQuery('from=2016-02-30&to=2016-03-01&priority=7&tz=Mars%2FOlympus&view=admin&breakdown=service')).toMatchObject({
      view: 'overview',
      breakdown: 'priority',
      from: '',
      to: '',
      priority: '',
      tz: 'UTC',
    });
    // Zones the browser knows but the database reads as another (fixed-offset abbreviations) or
    // not at all: the filter does not offer them, and a link's falls back to UTC.
    for (const tz of ['IST', 'CET', 'NST', 'US/Pacific-New', 'AET']) {
      expect(filtersFromQuery(`tz=${encodeURIComponent(tz)}`).tz, tz).toBe('UTC');
    }
    for (const tz of ['Asia/Kolkata', 'Europe/Kyiv', 'America/St_Johns', 'GMT']) {
      expect(filtersFromQuery(`tz=${encodeURIComponent(tz)}`).tz, tz).toBe(tz);
    }
    // In another case, the same zones as the filter spells them: not options of their own.
    for (const [typed, offered] of [['asia/kolkata', 'Asia/Kolkata'], ['EUROPE/KYIV', 'Europe/Kyiv'], ['utc', 'UTC'], ['gmt', 'GMT']]) {
      expect(filtersFromQuery(`tz=${encodeURIComponent(typed)}`).tz, typed).toBe(offered);
    }
    expect(filtersFromQuery('tz=').tz).toBe('UTC');
    // Month 13 is no date (it threw in the page, which stayed blank); nor is day 45.
    expect(filtersFromQuery('from=2016-13-45&to=2016-14-01')).toMatchObject({ from: '', to: '' });
    // The API takes windows within 1900-01-01 and 3000-01-01: others are dropped, these kept.
    for (const [from, to] of [['0001-01-01', '2016-01-01'], ['1899-12-31', '2016-01-01'], ['2016-01-01', '3000-01-02'], ['9999-01-01', '9999-02-01']]) {
      expect(filtersFromQuery(`from=${from}&to=${to}`), `${from} ${to}`).toMatchObject({ from: '', to: '' });
    }
    expect(filtersFromQuery('from=1900-01-01&to=3000-01-01')).toMatchObject({ from: '1900-01-01', to: '3000-01-01' });
  });
});

describe('chart tooltips', () => {
  it('escape names from the data, so a category cannot inject HTML', async () => {
    const { axisTooltip } = await import('../../client/src/charts/chart.options');
    const tooltip = axisTooltip(formatCount);
    const html = tooltip.formatter([
      { axisValueLabel: '2016-03-01', seriesName: '<img src=x onerror=alert(1)>', marker: '', value: 1234 },
    ]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('1,234');
  });
});

describe('time zone options', () => {
  it('offers the current names of renamed zones and always the chosen zone', async () => {
    const { zoneOptions } = await import('../../client/src/filters/zones');
    // What Chromium lists: the old names only.
    const supported = ['Asia/Calcutta', 'Europe/Berlin', 'Europe/Kiev', 'UTC'];
    const zones = zoneOptions(supported, 'UTC', () => true);
    expect(zones[0]).toBe('UTC');
    expect(zones).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk', 'Pacific/Kanton']));
    expect(zones).toEqual(expect.arrayContaining(['Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Yangon', 'Atlantic/Faroe']));
    // The old names stay, so links written with them keep working.
    expect(zones).toEqual(expect.arrayContaining(['Asia/Calcutta', 'Europe/Kiev']));
    expect(zones.filter((zone) => zone === 'UTC')).toHaveLength(1);
    // A zone the runtime cannot use is not offered unless it is the one chosen.
    expect(zoneOptions([], 'UTC', (zone) => zone !== 'Pacific/Kanton')).not.toContain('Pacific/Kanton');
    expect(zoneOptions([], 'America/Ciudad_Juarez', () => true)).toContain('America/Ciudad_Juarez');
  });
});

describe('SLA targets in working time', () => {
  const weekly = (hours: Record<string, [string, string][]>) => ({
    id: 2,
    name: 'Business hours',
    timezone: 'UTC',
    kind: 'weekly' as const,
    weekly: hours,
    holidays: [],
  });
  const nineToFive: [string, string][] = [['09:00', '17:00']];
  const businessHours = weekly({ mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive });

  it('counts a business day as one working day of the calendar', async () => {
    const { businessDayMinutes } = await import('../../client/src/sla/sla.targets');
    // 09:00-17:00 = 8 h = 480 min.
    expect(businessDayMinutes(businessHours)).toBe(480);
    // 08:00-12:00 and 13:00-19:30: 4 h + 6.5 h = 10.5 h = 630 min.
    const split: [string, string][] = [
      ['08:00', '12:00'],
      ['13:00', '19:30'],
    ];
    expect(businessDayMinutes(weekly({ mon: split, tue: split }))).toBe(630);
    // 00:00-24:00 = 1440 min.
    expect(businessDayMinutes(weekly({ sat: [['00:00', '24:00']] }))).toBe(1440);
    // Days of different lengths (8 h and 4 h): no single business day.
    expect(businessDayMinutes(weekly({ mon: nineToFive, fri: [['09:00', '13:00']] }))).toBeNull();
    expect(businessDayMinutes({ ...businessHours, kind: '24x7' })).toBeNull();
  });

  it('writes a target on a weekly calendar as working time with its business days', async () => {
    const { formatTarget } = await import('../../client/src/sla/sla.targets');
    // 1440 min = 24 h = 3 x 8 h; 4800 min = 80 h = 10 x 8 h; 720 min = 12 h = 1.5 x 8 h.
    expect(formatTarget(1440, businessHours)).toBe('24 h working (3 business days)');
    expect(formatTarget(4800, businessHours)).toBe('80 h working (10 business days)');
    expect(formatTarget(480, businessHours)).toBe('8 h working (1 business day)');
    expect(formatTarget(720, businessHours)).toBe('12 h working (1.5 business days)');
    // Shorter than a business day: the hours only.
    expect(formatTarget(240, businessHours)).toBe('4 h working');
    // Days that vary: no days note.
    expect(formatTarget(1440, weekly({ mon: nineToFive, fri: [['09:00', '13:00']] }))).toBe('24 h working');
    // A 24x7 calendar (or none known): wall-clock hours as before.
    expect(formatTarget(240, { ...businessHours, kind: '24x7' })).toBe('4 h');
    expect(formatTarget(240, undefined)).toBe('4 h');
    expect(formatTarget(null, businessHours)).toBe('—');
  });
});

describe('overview charts', () => {
  it('draws every priority label of the SLA chart, on two lines', async () => {
    const { slaByPriorityOption } = await import('../../client/src/overview/overview.charts');
    const rows = [1, 2, 3, 4, 5].map((priority) => ({
      priority,
      met: 1000 * priority,
      breached: 234,
      compliance: 0.5,
      sourceMet: null,
      sourceN: 0,
    }));
    const option = slaByPriorityOption({ rows }) as {
      xAxis: { data: string[]; axisLabel: { interval: number; lineHeight?: number } };
    };
    // P2: met 2000 + breached 234 = 2,234.
    expect(option.xAxis.data[1]).toBe('P2\n(n 2,234)');
    expect(option.xAxis.data).toHaveLength(5);
    // interval 0: ECharts draws every label instead of hiding those it thinks overlap.
    expect(option.xAxis.axisLabel.interval).toBe(0);
    // ECharts 6 draws the two lines on top of each other without an explicit line height.
    expect(option.xAxis.axisLabel.lineHeight).toBeGreaterThanOrEqual(12);
  });
});

describe('chart labels on a phone and beside another card', () => {
  interface Box {
    text: string;
    x: number;
    y: number;
    w: number;
    h: number;
  }

  /** Every text ECharts lays out for `option` at the given size, with its box on the chart. */
  async function textBoxes(option: object, width: number, height: number): Promise<Box[]> {
    const { init, use } = await import('echarts/core');
    const { BarChart, LineChart } = await import('echarts/charts');
    const { AriaComponent, GridComponent, LegendComponent, TooltipComponent } = await import('echarts/components');
    const { SVGRenderer } = await import('echarts/renderers');
    use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);
    // Server-side rendering: ECharts lays the chart out without a browser.
    const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
    chart.setOption({ ...option, animation: false });
    interface Drawn {
      style?: { text?: string };
      invisible?: boolean;
      parent?: Drawn;
      getBoundingRect(): { clone(): { x: number; y: number; width: number; height: number; applyTransform(m: unknown): void } };
      getComputedTransform(): unknown;
    }
    const drawn = (chart.getZr() as unknown as { storage: { getDisplayList(update: boolean): Drawn[] } }).storage.getDisplayList(true);
    const boxes: Box[] = [];
    for (const el of drawn) {
      const text = el.style?.text;
      // A scrolling legend keeps its pager ("1/1") as an invisible placeholder when all fits.
      let hidden = false;
      for (let at: Drawn | undefined = el; at; at = at.parent) hidden ||= Boolean(at.invisible);
      if (!text || hidden) continue;
      const rect = el.getBoundingRect().clone();
      const transform = el.getComputedTransform();
      if (transform) rect.applyTransform(transform);
      boxes.push({ text, x: rect.x, y: rect.y, w: rect.width, h: rect.height });
    }
    chart.dispose();
    return boxes;
  }

  /**
   * Pairs of texts closer than `gap` px to each other: they read as one. The 2 px ECharts left
   * between "0 %" and the first date, one under the other's end, read "0 %2016-03-01"; 4 px it is.
   */
  function crowded(boxes: Box[], gap: number): string[] {
    const found: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const apart = a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y || b.y + b.h + gap <= a.y;
        if (!apart) found.push(`${a.text} / ${b.text}`);
      }
    }
    return found;
  }

  // The charts' sizes in the browser: 328 x 280 px in a card on a phone 390 px wide, 573 x 280 px
  // in a card of two side by side at 1280 px; the compliance trend is 300 px high.
  const SIZES = [328, 573];
  // A month of days, values the size of the ServiceNow log's March 2016 (hundreds a day, a
  // backlog of thousands): labels "2016-03-01", "700", "5,000".
  const buckets = Array.from({ length: 31 }, (_, i) => `2016-03-${String(i + 1).padStart(2, '0')}`);
  const daily = (base: number) => buckets.map((_, i) => base + ((i * 37) % 300));

  it("keeps the flow chart's legend clear of its axes' names, and its dates clear of the values", async () => {
    const { flowOption } = await import('../../client/src/overview/overview.charts');
    const option = flowOption({ interval: 'day', buckets, opened: daily(300), restored: daily(200), backlog: daily(3700) } as Parameters<typeof flowOption>[0]);
    for (const width of SIZES) {
      const boxes = await textBoxes(option, width, 280);
      // The legend's "Opened" and the left axis's name "per period" both lie left of the middle,
      // "Backlog" and the right axis's name "backlog" right of it: on a phone they met. Below,
      // the first and last dates ran into the "0" of the left and of the right axis.
      expect(boxes.map((box) => box.text)).toEqual(expect.arrayContaining(['Opened', 'Backlog', 'per period', 'backlog', '2016-03-01', '0']));
      expect(crowded(boxes, 4), `at ${width} px`).toEqual([]);
    }
  });

  it("keeps the SLA chart's priority labels apart, with counts as large as a year's at 1 M", async () => {
    const { slaByPriorityOption } = await import('../../client/src/overview/overview.charts');
    // Counts of a month of the ServiceNow log (3, 2, 113, 10, 0 stopped clocks and more), and of a
    // year at 1 M incidents (up to 412 345 for P3): labels "(n 6,844)" and "(n 412,345)".
    for (const counts of [[126, 6844, 309, 12, 0], [20123, 98765, 412345, 345678, 123456]]) {
      const rows = counts.map((n, i) => ({ priority: i + 1, met: n, breached: 0, compliance: n ? 1 : null, sourceMet: null, sourceN: 0 }));
      const option = slaByPriorityOption({ rows } as Parameters<typeof slaByPriorityOption>[0]);
      for (const width of SIZES) {
        const boxes = await textBoxes(option, width, 280);
        const labels = boxes.filter((box) => /^P\d|\(n /.test(box.text)).map((box) => box.text);
        expect(labels.length, `${counts} at ${width} px: ${labels}`).toBeGreaterThanOrEqual(5);
        expect(crowded(boxes, 2), `${counts} at ${width} px`).toEqual([]);
      }
    }
  });

  it("starts the first period's label at its period, clear of the lowest value's", async () => {
    const { volumeOption } = await import('../../client/src/overview/overview.charts');
    const { complianceTrendOption } = await import('../../client/src/sla/sla.charts');
    const volume = volumeOption({
      interval: 'day',
      buckets,
      series: ['network', 'storage', 'application'].map((key, k) => ({ key, counts: daily(50 * (k + 1)) })),
    } as Parameters<typeof volumeOption>[0]);
    const trend = complianceTrendOption(
      {
        interval: 'day',
        buckets,
        // 10 stopped clocks a day for each of P1..P3, 5 + m of them met (m = 0..5): 50 % to 100 %.
        series: ['1', '2', '3'].map((key, k) => ({
          key,
          met: buckets.map((_, i) => 5 + ((i + k) % 6)),
          breached: buckets.map((_, i) => 5 - ((i + k) % 6)),
          compliance: buckets.map((_, i) => (5 + ((i + k) % 6)) / 10),
        })),
        totals: [],
      },
      (key) => `P${key}`,
    )!;
    for (const width of SIZES) {
      for (const [name, option, height] of [['volume', volume, 280], ['trend', trend, 300]] as const) {
        const boxes = await textBoxes(option, width, height);
        // The percent axis's "0 %" is the widest lowest label; the first date sat under it.
        expect(boxes.map((box) => box.text)).toEqual(expect.arrayContaining(['2016-03-01', name === 'trend' ? '0 %' : '0']));
        expect(crowded(boxes, 4), `${name} at ${width} px`).toEqual([]);
      }
    }
  });
});

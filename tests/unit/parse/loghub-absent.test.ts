// The five Loghub datasets ../shared/data does not hold (Mac, Thunderbird, OpenStack, HealthApp, Proxifier), in
// lines of their layouts modelled on Loghub's samples: each is recognised without configuration, one event per
// line, with the line's own time of day, its host where the layout has one, and a message that starts where the
// header ends (no stray `]` or `|`).
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

const SAMPLES: Record<string, string[]> = {
  Mac: [
    'Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = 11 unplug = 0',
    'Jul  1 09:01:05 calvisitor-10-105-160-95 com.apple.CDScheduler[43]: Thermal pressure state: 1 Memory pressure state: 0',
    'Jul  1 09:01:06 calvisitor-10-105-160-95 QQ[10018]: FA||Url||taskID[2019352994] dealloc',
    'Jul  1 09:02:26 calvisitor-10-105-160-95 kernel[0]: ARPT: 620701.011328: AirPort_Brcm43xx::syncPowerState: WWEN[enabled]',
    'Jul  1 09:02:26 authorMacBook-Pro kernel[0]: ARPT: 620702.879952: AirPort_Brcm43xx::platformWoWEnable: WWEN[disable]',
    'Jul  1 09:03:11 calvisitor-10-105-160-95 mDNSResponder[91]: mDNS_DeregisterInterface: Frequent transitions for interface awdl0 (FE80:0000:0000:0000:D8A5:90FF:FEF5:7FFF)',
    'Jul  1 09:04:37 calvisitor-10-105-160-95 com.apple.WebKit.WebContent[25654]: [09:04:37.256] <<<< CRABS >>>> crabsFlumeHostAvailable: [0x7f961cf08cf0] Byte flume reports host available again.',
    'Jul  1 10:08:28 calvisitor-10-105-160-95 sharingd[30299]: 10:08:28.434 : BTLE scanner Powered On',
    'Jul  2 11:38:50 authorMacBook-Pro corecaptured[38137]: CCFile::captureLogRun Skipping current file Dir file [2017-07-02_11,38,50.293315]-CCIOReporter-005.xctr, Current File [2017-07-02_11,38,50.293315]-CCIOReporter-005.xctr',
  ],
  Thunderbird: [
    '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root',
    '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session opened for user root by (uid=0)',
    '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2916]: (root) CMD (run-parts /etc/cron.hourly)',
    '- 1131566461 2005.11.09 dn261 Nov 9 12:01:01 dn261/dn261 crond(pam_unix)[2907]: session closed for user root',
    '- 1131566462 2005.11.09 tbird-admin1 Nov 10 00:01:02 local@tbird-admin1 /apps/x86_64/system/ganglia-3.0.1/sbin/gmetad[1682]: data_thread() got not answer from any [Thunderbird_A8] datasource',
    '- 1131566463 2005.11.09 tbird-sm1 Nov 9 12:01:03 src@tbird-sm1 ib_sm.x[24904]: [ib_sm_sweep.c:1831]: ********************** NEW SWEEP ********************',
    'VAPI 1131570021 2005.11.09 tbird-sm1 Nov 9 13:00:21 src@tbird-sm1 ib_sm.x[24904]: [ib_sm_bringup.c:577]: Force neighbor port (node=ibcore1 L112, port=13) to DOWN because of failure on the neighbor',
    '- 1131570061 2005.11.09 cn142 Nov 9 13:01:01 cn142/cn142 kernel: Losing some ticks... checking if CPU frequency changed.',
  ],
  OpenStack: [
    'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
    'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.272 25746 INFO nova.osapi_compute.wsgi.server [req-9bc36dd9-91c5-4314-898a-47625eb93b09 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2577181',
    'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)',
    'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.562 2931 WARNING nova.compute.manager [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Instance shutdown by itself.',
    'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:05.185 2931 INFO nova.virt.libvirt.imagecache [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] image 0673dd71-34c5-4fbb-86c4-40623fbe45b4 at (/var/lib/nova/instances/_base/a489c868f0c37da93b76227c91bb03908ac0e742): checking',
    'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:11.042 25746 ERROR nova.api.openstack [req-d1c4e7a7-3cb0-4c29-9b49-2a4f5e9e7b6c - - - - -] Caught error: timed out',
  ],
  HealthApp: [
    '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
    '20171223-22:15:29:615|Step_LSC|30002312|onExtend:1514038530000 14 0 4',
    '20171223-22:15:29:633|Step_StandReportReceiver|30002312|onReceive action: android.intent.action.SCREEN_ON',
    '20171223-22:15:29:635|Step_LSC|30002312|processHandleBroadcastAction action:android.intent.action.SCREEN_ON',
    '20171223-22:15:29:635|Step_StandStepCounter|30002312|flush sensor data',
    '20171223-22:15:29:636|Step_SPUtils|30002312| getTodayTotalDetailSteps = 1514038440000##6993##548365##8661##12266##27164404',
    '20171224-0:10:05:116|Step_LSC|30002312|onStandStepChanged 3600',
  ],
  Proxifier: [
    '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    '[10.30 16:49:07] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01',
    '[10.30 16:49:08] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec',
    '[10.30 16:49:10] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    '[10.30 16:50:34] QQ.exe - 183.60.49.182:443 error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code 403',
  ],
};

interface Expected {
  format: string;
  /** The line's own time of day, as hh:mm:ss (UTC for an epoch, else as written). */
  time: (line: string) => string;
  host: (line: string) => string | null;
  /** How the message starts. */
  message: RegExp;
}

const pad = (t: string) =>
  t
    .split(':')
    .map((p) => p.padStart(2, '0'))
    .join(':');
const EXPECTED: Record<string, Expected> = {
  Mac: {
    format: 'syslog-rfc3164',
    time: (l) => l.slice(7, 15),
    host: (l) => l.split(/ +/)[3],
    message: /^(?!\S+\[\d+\]:)\S/,
  },
  Thunderbird: {
    format: 'generic',
    // Both an epoch and a local time: the epoch wins.
    time: (l) => new Date(Number(l.split(' ')[1]) * 1000).toISOString().slice(11, 19),
    host: (l) => l.split(' ')[3],
    // The syslog header inside the line (local time, location, app[pid]) is read, not kept in the message.
    message: /^(?![A-Z][a-z]{2} \d{1,2} )\S/,
  },
  OpenStack: {
    format: 'generic',
    time: (l) => l.split(' ')[2].slice(0, 8),
    host: () => null,
    message: /^nova\./,
  },
  HealthApp: {
    format: 'generic',
    time: (l) => pad(/-(\d{1,2}:\d{1,2}:\d{1,2})/.exec(l)![1]),
    host: () => null,
    message: /^Step_\w+\|\d+\|/,
  },
  Proxifier: {
    format: 'generic',
    time: (l) => l.slice(7, 15),
    host: () => null,
    message: /^\w+\.exe - /,
  },
};

describe('Loghub layouts whose datasets are not in ../shared/data', () => {
  for (const [name, lines] of Object.entries(SAMPLES)) {
    const want = EXPECTED[name];
    it(`${name}: recognised, one event per line, its time of day, its host, a clean message`, () => {
      const { parser, events } = parseLines(lines, { timezone: 'UTC', mtimeMs: Date.UTC(2017, 11, 30) });
      expect(parser.format).toBe(want.format);
      expect(events.length).toBe(lines.length);
      events.forEach((e, i) => {
        expect(iso(e.ts)?.slice(11, 19), lines[i]).toBe(want.time(lines[i]));
        expect(e.host, lines[i]).toBe(want.host(lines[i]));
        expect(e.message, lines[i]).toMatch(want.message);
      });
    });
  }

  it("reads Thunderbird's inner syslog header into app and pid, and keeps the content as the message", () => {
    const { events } = parseLines(SAMPLES.Thunderbird, { timezone: 'UTC' });
    expect(events[0]).toMatchObject({
      host: 'dn228',
      message: 'session closed for user root',
      fields: { app: 'crond(pam_unix)', pid: 2915 },
    });
    expect(events[7]).toMatchObject({
      host: 'cn142',
      message: 'Losing some ticks... checking if CPU frequency changed.',
      fields: { app: 'kernel' },
    });
  });

  it('reads OpenStack levels and leaves its log-file column out of the host', () => {
    const { parser, events } = parseLines(SAMPLES.OpenStack, { timezone: 'UTC' });
    expect(events.map((e) => e.severity)).toEqual(['info', 'info', 'info', 'warn', 'info', 'error']);
    expect(parser.reason).not.toContain('host');
  });
});

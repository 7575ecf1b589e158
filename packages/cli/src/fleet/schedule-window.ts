/** A daily window of UTC clock times, e.g. 22:00-05:00 (across midnight) or 01:00-04:30. */
export interface ScheduleWindow {
  text: string;
  /** Minutes after midnight, UTC. */
  startMinute: number;
  endMinute: number;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Reads `HH:MM-HH:MM`; undefined when the text is not one (the caller names the file and key). */
export function parseScheduleWindow(text: string): ScheduleWindow | undefined {
  const [start, end, ...rest] = text.split('-').map((part) => part.trim());
  if (start === undefined || end === undefined || rest.length > 0) return undefined;
  const minute = (time: string): number | undefined => {
    const match = TIME.exec(time);
    return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
  };
  const startMinute = minute(start);
  const endMinute = minute(end);
  if (startMinute === undefined || endMinute === undefined || startMinute === endMinute) return undefined;
  return { text, startMinute, endMinute };
}

/** Whether `time` (ms since epoch) falls in the window: from its start, up to but not including its end. */
export function isInWindow(window: ScheduleWindow, time: number): boolean {
  const date = new Date(time);
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

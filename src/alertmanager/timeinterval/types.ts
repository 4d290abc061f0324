/**
 * A time interval as Alertmanager's timeinterval.TimeInterval: every present field must match
 * (AND); ranges inside a field are alternatives (OR). Absent fields match everything.
 */
export interface InclusiveRange {
  readonly begin: number;
  readonly end: number;
}

export interface TimeInterval {
  /** Minutes of the day, [startMinute, endMinute). */
  readonly times?: ReadonlyArray<{ readonly startMinute: number; readonly endMinute: number }>;
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekdays?: readonly InclusiveRange[];
  /** 1..31, or negative counting from the month's end (-1 = last day). */
  readonly daysOfMonth?: readonly InclusiveRange[];
  /** 1..12. */
  readonly months?: readonly InclusiveRange[];
  readonly years?: readonly InclusiveRange[];
  /** IANA zone name; absent = UTC. 'Local' is the process' zone. */
  readonly location?: string;
}

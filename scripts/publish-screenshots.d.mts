export declare const RESULTS_DIR: string;
export declare const TARGET_DIR: string;
export interface Published {
  name: string;
  from: string;
  status: 'new' | 'changed' | 'same';
}
export declare function publishScreenshots(o?: { results?: string; target?: string }): Published[];

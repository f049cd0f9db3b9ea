/** The admin content pages' addresses, in one place for the router, controllers and views. */
export const CONTENT_PATH = '/admin/content';

export const versionPath = (moduleId: string, version: number) => `${CONTENT_PATH}/${moduleId}/versions/${version}`;
export const previewPath = (moduleId: string, version: number, lng: string) => `${versionPath(moduleId, version)}/preview/${lng}`;
export const previewLessonPath = (moduleId: string, version: number, lng: string, lessonId: string) =>
  `${previewPath(moduleId, version, lng)}/lessons/${lessonId}`;
export const previewMediaPath = (moduleId: string, version: number, file: string) => `${versionPath(moduleId, version)}/media/${file}`;

import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import helmet from 'helmet';
import { AppModule, AppModuleOptions } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { validationPipe } from './common/validation';
import { AppConfig } from './config/app.config';
import { DatabaseHandle } from './database/embedded-postgres';

/** Builds the HTTP application: API under /api, its OpenAPI page, and the built dashboard. */
export async function createApp(
  config: AppConfig,
  handle: DatabaseHandle,
  options: AppModuleOptions & { logger?: LoggerService | false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, handle, options), {
    logger: options.logger,
  });
  app.setGlobalPrefix('api');
  app.use(rejectNulCharacters);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // Helmet's default would have browsers fetch the dashboard's scripts over https when it
          // is served over plain http to another machine (HOST=0.0.0.0), where nothing answers.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Incident analytics')
      .setDescription('Incident-management figures (MTRS, MTTA, first-time resolution, SLA, backlog) and imports.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveDashboard(app, config.clientDir);
  return app;
}

/**
 * PostgreSQL text cannot hold a NUL character, so a query or path that carries one (%00) would
 * fail deep in a query; it is answered here instead, as the bad request it is.
 */
function rejectNulCharacters(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (!/%00/i.test(req.originalUrl)) return next();
  res.status(400).json({
    statusCode: 400,
    error: 'Bad Request',
    message: 'the address contains a NUL character (%00), which no parameter may hold',
  });
}

function serveDashboard(app: NestExpressApplication, clientDir: string): void {
  const index = path.join(clientDir, 'index.html');
  if (!fs.existsSync(index)) {
    new Logger('Dashboard').warn({ event: 'dashboard not built', clientDir });
    return;
  }
  app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    res.sendFile(index);
  });
}

import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseZonesLoader } from '../common/zones';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DatabaseHandle } from './embedded-postgres';
import { DATABASE_HANDLE } from './database';

/**
 * Provides the configuration and the TypeORM data source over an already opened database.
 * The database is opened before Nest starts (see openDatabase) so that the process that opened
 * it can also release it after Nest has closed every connection.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, handle: DatabaseHandle): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: handle.url,
          synchronize: false,
          migrationsRun: false,
          entities: [],
          extra: { max: 10, application_name: 'incident-analytics' },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE_HANDLE, useValue: handle },
        DatabaseZonesLoader,
      ],
      exports: [APP_CONFIG, DATABASE_HANDLE],
    };
  }
}
